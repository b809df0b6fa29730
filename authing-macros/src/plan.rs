//! Decides where each field goes, from the path's placeholders, the method and the field's
//! option, and checks that the path and the fields agree.

use syn::LitStr;

use crate::errors::Errors;
use crate::fields::{Case, FieldInfo, GivenCase, Target};
use crate::suggest::closest;

/// Where a field's value travels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Placement {
    /// With the struct's serialised fields: the query for GET, the JSON body otherwise.
    Serialized,
    /// Fills the path's `{placeholder}` of the same name.
    Path,
    /// A header of this name.
    Header(String),
    /// Moved to the query (from a body method), under this wire name.
    Query(String),
    /// Moved to the JSON body (from GET), under this wire name.
    Body(String),
}

impl Placement {
    /// Whether serde must leave the field out: `write_parts` writes it instead.
    pub(crate) fn written_by_parts(&self) -> bool {
        *self != Placement::Serialized
    }
}

/// The placement of each field, in order, after reporting conflicts; `path` and
/// `placeholders` are absent when the attribute had no valid path.
pub(crate) fn plan(
    fields: &[FieldInfo],
    placeholders: &[String],
    path: Option<&LitStr>,
    (params_in_query, case): (bool, Case),
    errors: &mut Errors,
) -> Vec<Placement> {
    let placements = fields
        .iter()
        .map(|field| place(field, placeholders, (params_in_query, case), errors))
        .collect();
    if let Some(path) = path {
        check_placeholders_filled(fields, placeholders, (path, case), errors);
    }
    placements
}

fn place(
    field: &FieldInfo,
    placeholders: &[String],
    (params_in_query, case): (bool, Case),
    errors: &mut Errors,
) -> Placement {
    if placeholders.contains(&field.name) {
        check_written_alone(field, "fills a path parameter", errors);
        return place_path_param(field, errors);
    }
    let Some(option) = &field.option else {
        return Placement::Serialized;
    };
    if !matches!(
        (&option.target, params_in_query),
        (Target::Query, true) | (Target::Body, false)
    ) {
        check_written_alone(field, &format!("has `{}`", option.describe()), errors);
    }
    let placement = match &option.target {
        Target::Header(name) => return Placement::Header(name.clone()),
        // Already where the method sends the serialised fields: nothing to move.
        Target::Query if params_in_query => return Placement::Serialized,
        Target::Body if !params_in_query => return Placement::Serialized,
        Target::Query => Placement::Query(wire_name(field, case)),
        Target::Body => Placement::Body(wire_name(field, case)),
    };
    if field.serde.flatten {
        errors.spanned(
            &option.tokens,
            format!(
                "a `#[serde(flatten)]` field cannot be moved with `{}`: its fields go where \
                 the struct's go; move each of them instead, or drop `flatten`",
                option.describe()
            ),
        );
    }
    placement
}

/// A field written on its own goes through `RequestParts` by value, not through serde's
/// derive, so serde attributes that change how the derive writes it would do nothing.
fn check_written_alone(field: &FieldInfo, why: &str, errors: &mut Errors) {
    let Some(attribute) = field.serde.ignored_when_written_alone() else {
        return;
    };
    let name = &field.name;
    errors.spanned(
        &field.ident,
        format!(
            "field `{name}` {why}, so it is written on its own and {attribute} would have \
             no effect: drop the attribute, or convert the value in the field's type (e.g. a \
             newtype with its own `Serialize`)"
        ),
    );
}

fn place_path_param(field: &FieldInfo, errors: &mut Errors) -> Placement {
    let name = &field.name;
    if let Some(option) = &field.option {
        errors.spanned(
            &option.tokens,
            format!(
                "field `{name}` fills `{{{name}}}` in the path, so it cannot also have `{}`: \
                 remove the option, or rename the field or the placeholder",
                option.describe()
            ),
        );
    } else if field.is_option {
        errors.spanned(
            &field.ty,
            format!(
                "field `{name}` fills `{{{name}}}` in the path, which always needs a value: \
                 it cannot be an `Option`"
            ),
        );
    }
    Placement::Path
}

/// Reports each placeholder that no field fills.
fn check_placeholders_filled(
    fields: &[FieldInfo],
    placeholders: &[String],
    (path, case): (&LitStr, Case),
    errors: &mut Errors,
) {
    for placeholder in placeholders {
        if fields.iter().any(|f| &f.name == placeholder) {
            continue;
        }
        // `{userId}` for a field `user_id` is the likely slip: compare wire names too.
        let by_wire = fields.iter().find(|f| &wire_name(f, case) == placeholder);
        let hint = by_wire
            .map(|f| f.name.as_str())
            .or_else(|| closest(placeholder, fields.iter().map(|f| f.name.as_str())))
            .map_or_else(String::new, |name| {
                format!(" (or write `{{{name}}}` in the path)")
            });
        errors.spanned(
            path,
            format!(
                "no field fills `{{{placeholder}}}` in the path: add a field `{placeholder}` \
                 to the struct{hint}; placeholders name Rust fields, not wire names"
            ),
        );
    }
}

/// The name the field has on the wire: its serde `rename`, else what the struct's
/// `rename_all` makes of its name (camelCase unless it says `snake_case`).
pub(crate) fn wire_name(field: &FieldInfo, case: Case) -> String {
    field.serde.rename.clone().unwrap_or_else(|| match case {
        Case::Given(GivenCase::Snake) => field.name.clone(),
        Case::Camel | Case::Given(GivenCase::Camel) => camel_case(&field.name),
    })
}

/// serde's `camelCase` rule for field names, step for step: PascalCase (each `_` dropped,
/// the letter after it uppercased), then the first letter lowercased. `user_id_type`
/// becomes `userIdType`.
fn camel_case(field: &str) -> String {
    let mut pascal = String::with_capacity(field.len());
    let mut capitalize = true;
    for c in field.chars() {
        if c == '_' {
            capitalize = true;
        } else if capitalize {
            pascal.push(c.to_ascii_uppercase());
            capitalize = false;
        } else {
            pascal.push(c);
        }
    }
    let mut chars = pascal.chars();
    chars
        .next()
        .map(|first| first.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_matches_serde() {
        assert_eq!(camel_case("user_id_type"), "userIdType");
        assert_eq!(camel_case("id"), "id");
        assert_eq!(camel_case("mfa_token"), "mfaToken");
        assert_eq!(camel_case("phone_country_code"), "phoneCountryCode");
        assert_eq!(camel_case("_private"), "private");
        assert_eq!(camel_case("user_ID"), "userID");
        assert_eq!(camel_case("Odd_case"), "oddCase");
    }
}
