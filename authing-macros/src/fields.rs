//! Reads the struct under `#[endpoint]`: rejects what cannot be an endpoint, reads each
//! field's `#[endpoint(...)]` option, and notes the serde attributes that change a field's
//! wire name or whether it is serialised at all.

use proc_macro2::{TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Data, DeriveInput, Fields, GenericParam, Ident, LitStr, Token, Type};

use crate::attr::skip_to_comma;
use crate::errors::Errors;
use crate::suggest::did_you_mean;

/// How to write a field option, for messages about a wrong one.
const OPTIONS_USAGE: &str =
    "`#[endpoint(query)]`, `#[endpoint(body)]` or `#[endpoint(header = \"x-authing-app-id\")]`";

/// The struct, ready to be re-emitted, and what was read from its fields.
pub(crate) struct EndpointStruct {
    /// The struct as written, without the `#[endpoint(...)]` field attributes.
    pub(crate) input: DeriveInput,
    /// One per named field, in order; empty for a unit struct.
    pub(crate) fields: Vec<FieldInfo>,
    /// How the fields are named on the wire.
    pub(crate) case: Case,
}

/// How fields are named on the wire: camelCase as Authing's V3 API wants them, unless the
/// struct says `#[serde(rename_all = "snake_case")]`, as OAuth 2.0 endpoints want them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Case {
    /// `#[endpoint]` adds `rename_all = "camelCase"` itself.
    #[default]
    Camel,
    /// The user's `rename_all` says so, and `#[endpoint]` adds none.
    Given(GivenCase),
}

/// A `rename_all` the user wrote on the struct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GivenCase {
    Camel,
    Snake,
}

/// One field of the struct.
pub(crate) struct FieldInfo {
    pub(crate) ident: Ident,
    /// The identifier without `r#`: what a `{placeholder}` names and camelCase starts from.
    pub(crate) name: String,
    pub(crate) ty: Type,
    pub(crate) option: Option<FieldOption>,
    pub(crate) serde: SerdeField,
    /// Whether the type is `Option<..>`, so a `None` is left out rather than sent as null.
    pub(crate) is_option: bool,
}

/// Where a `#[endpoint(...)]` field option sends the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Query,
    Body,
    Header(String),
}

/// A field's `#[endpoint(...)]` option.
pub(crate) struct FieldOption {
    pub(crate) target: Target,
    /// The option as written, for the span of errors about it.
    pub(crate) tokens: TokenStream,
}

impl FieldOption {
    /// The option as the user would write it, for messages.
    pub(crate) fn describe(&self) -> String {
        match &self.target {
            Target::Query => "#[endpoint(query)]".to_owned(),
            Target::Body => "#[endpoint(body)]".to_owned(),
            Target::Header(name) => format!("#[endpoint(header = \"{name}\")]"),
        }
    }
}

/// What the field's serde attributes say about serialising it.
#[derive(Default)]
pub(crate) struct SerdeField {
    /// `rename = "..."` or `rename(serialize = "...")`.
    pub(crate) rename: Option<String>,
    pub(crate) has_skip_serializing_if: bool,
    /// `skip` or `skip_serializing`.
    pub(crate) skipped: bool,
    pub(crate) flatten: bool,
    /// `serialize_with` or `with`.
    pub(crate) custom_serialize: bool,
}

impl SerdeField {
    /// The first serde attribute that only acts when serde serialises the whole struct,
    /// and so would be silently ignored on a field written on its own (a path parameter,
    /// a header, a field moved between query and body).
    pub(crate) fn ignored_when_written_alone(&self) -> Option<&'static str> {
        if self.custom_serialize {
            Some("`#[serde(serialize_with = ...)]` or `#[serde(with = ...)]`")
        } else if self.skipped {
            Some("`#[serde(skip)]`")
        } else if self.has_skip_serializing_if {
            Some("`#[serde(skip_serializing_if = ...)]`")
        } else {
            None
        }
    }
}

/// Reads the item, recording in `errors` whatever keeps it from being an endpoint.
pub(crate) fn parse(item: TokenStream, errors: &mut Errors) -> Option<EndpointStruct> {
    let mut input = match syn::parse2::<DeriveInput>(item) {
        Ok(input) => input,
        Err(e) => {
            errors.at(
                e.span(),
                "#[endpoint] goes on a struct with named fields, one per parameter",
            );
            return None;
        }
    };
    let case = check_container(&input, errors);
    let fields = named_fields(&mut input.data, errors)?;
    Some(EndpointStruct {
        input,
        fields,
        case,
    })
}

/// The struct's fields, or `None` after reporting why the item cannot be an endpoint.
fn named_fields(data: &mut Data, errors: &mut Errors) -> Option<Vec<FieldInfo>> {
    let (tokens, message): (&dyn ToTokens, &str) = match data {
        Data::Struct(data) => match &mut data.fields {
            Fields::Named(named) => return Some(read_fields(named.named.iter_mut(), errors)),
            Fields::Unit => return Some(Vec::new()),
            Fields::Unnamed(unnamed) => (
                unnamed,
                "a tuple struct cannot be an endpoint: each parameter needs a name, \
                 so use named fields, like `struct GetUser { user_id: String }`",
            ),
        },
        Data::Enum(data) => (
            &data.enum_token,
            "#[endpoint] goes on a struct with named fields, not an enum: \
             make the enum the type of a field of a struct",
        ),
        Data::Union(data) => (
            &data.union_token,
            "#[endpoint] goes on a struct with named fields, not a union",
        ),
    };
    errors.spanned(tokens, message);
    None
}

/// The struct-level checks: generics, a derive of `Serialize`, serde settings that
/// `#[endpoint]` makes itself. Returns how the fields are named on the wire.
fn check_container(input: &DeriveInput, errors: &mut Errors) -> Case {
    let mut case = Case::Camel;
    for param in &input.generics.params {
        let (kind, ident) = match param {
            GenericParam::Type(t) => ("types", &t.ident),
            GenericParam::Const(c) => ("constants", &c.ident),
            GenericParam::Lifetime(_) => continue, // borrowed parameters are fine
        };
        errors.spanned(
            ident,
            format!(
                "an endpoint cannot be generic over {kind}: its method, path and response are \
                 fixed, so use concrete types here (lifetimes are fine)"
            ),
        );
    }
    for attr in &input.attrs {
        if attr.path().is_ident("endpoint") {
            // Expanding the struct twice would implement every trait twice.
            errors.spanned(attr, "#[endpoint] is given twice on this struct: keep one");
        } else if attr.path().is_ident("derive") {
            check_derive(attr, errors);
        } else if attr.path().is_ident("serde")
            && let Some(given) = check_container_serde(attr, errors)
        {
            case = Case::Given(given);
        }
    }
    case
}

fn check_derive(attr: &Attribute, errors: &mut Errors) {
    for path in serialize_derives(attr) {
        errors.spanned(
            path,
            "remove `Serialize` from this derive: #[endpoint] derives it, \
             with the serde settings an endpoint needs",
        );
    }
}

/// The paths naming `Serialize` in a `#[derive(...)]`; none for any other attribute.
///
/// The derive's arguments are split on commas rather than parsed: a derive lists paths,
/// which hold no comma, and this runs for every endpoint.
pub(crate) fn serialize_derives(attr: &Attribute) -> Vec<TokenStream> {
    let syn::Meta::List(list) = &attr.meta else {
        return Vec::new();
    };
    if !list.path.is_ident("derive") {
        return Vec::new();
    }
    let mut paths = vec![Vec::new()];
    for token in list.tokens.clone() {
        match (&token, paths.last_mut()) {
            (TokenTree::Punct(p), _) if p.as_char() == ',' => paths.push(Vec::new()),
            (_, Some(path)) => path.push(token),
            (_, None) => {}
        }
    }
    paths
        .into_iter()
        .filter(|path| matches!(path.last(), Some(TokenTree::Ident(i)) if i == "Serialize"))
        .map(TokenStream::from_iter)
        .collect()
}

/// Checks a serde attribute on the struct; returns the case of a `rename_all` it accepts.
fn check_container_serde(attr: &Attribute, errors: &mut Errors) -> Option<GivenCase> {
    let mut given = None;
    // Other serde mistakes are serde's to report, with its own messages.
    let _ = attr.parse_nested_meta(|meta| {
        if meta.path.is_ident("rename_all") {
            given = rename_all_case(&meta, errors);
            return skip_to_comma(meta.input).map(drop);
        } else if meta.path.is_ident("crate") {
            errors.spanned(
                &meta.path,
                "#[endpoint] sets `crate` to the serde that authing_core re-exports: remove it",
            );
        }
        skip_to_comma(meta.input).map(drop)
    });
    given
}

/// The case of `rename_all = "camelCase" | "snake_case"`; any other is reported.
fn rename_all_case(meta: &ParseNestedMeta, errors: &mut Errors) -> Option<GivenCase> {
    let fork = meta.input.fork();
    let value = fork
        .parse::<Token![=]>()
        .and_then(|_| fork.parse::<LitStr>())
        .ok();
    match value.as_ref().map(LitStr::value).as_deref() {
        Some("camelCase") => Some(GivenCase::Camel),
        Some("snake_case") => Some(GivenCase::Snake),
        _ => {
            errors.spanned(
                &meta.path,
                "#[endpoint] names parameters in camelCase, as Authing's V3 API wants them; \
                 `rename_all` may only say `\"snake_case\"` (OAuth 2.0's names) or \
                 `\"camelCase\"`: use one of them, or rename single fields with \
                 `#[serde(rename = \"...\")]`",
            );
            None
        }
    }
}

fn read_fields<'a>(
    fields: impl Iterator<Item = &'a mut syn::Field>,
    errors: &mut Errors,
) -> Vec<FieldInfo> {
    let mut infos: Vec<FieldInfo> = Vec::new();
    for field in fields {
        let Some(ident) = field.ident.clone() else {
            continue;
        };
        let option = field_option(&field.attrs, errors);
        field.attrs.retain(|a| !a.path().is_ident("endpoint"));
        if let Some(FieldOption {
            target: Target::Header(name),
            tokens,
        }) = &option
        {
            let earlier = infos.iter().find(|f| f.header() == Some(name));
            if let Some(earlier) = earlier {
                errors.spanned(
                    tokens,
                    format!(
                        "header `{name}` is already written by field `{}`: keep one",
                        earlier.name
                    ),
                );
            }
        }
        infos.push(FieldInfo {
            name: ident.unraw().to_string(),
            ident,
            is_option: is_option(&field.ty),
            ty: field.ty.clone(),
            option,
            serde: serde_field(&field.attrs),
        });
    }
    infos
}

impl FieldInfo {
    fn header(&self) -> Option<&String> {
        match &self.option {
            Some(FieldOption {
                target: Target::Header(name),
                ..
            }) => Some(name),
            _ => None,
        }
    }
}

/// The field's `#[endpoint(...)]` option, if it has one.
fn field_option(attrs: &[Attribute], errors: &mut Errors) -> Option<FieldOption> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("endpoint")) {
        let empty = match &attr.meta {
            syn::Meta::List(list) => list.tokens.is_empty(),
            _ => true,
        };
        if empty {
            errors.spanned(attr, format!("say where the field goes: {OPTIONS_USAGE}"));
            continue;
        }
        let result = attr.parse_nested_meta(|meta| read_option(&meta, &mut found, errors));
        errors.ok(result);
    }
    found
}

/// One option inside `#[endpoint(...)]` on a field.
fn read_option(
    meta: &ParseNestedMeta,
    found: &mut Option<FieldOption>,
    errors: &mut Errors,
) -> syn::Result<()> {
    let name = meta.path.get_ident().map_or_else(
        || meta.path.to_token_stream().to_string(),
        |i| i.unraw().to_string(),
    );
    let path = &meta.path;
    let (target, tokens) = match name.as_str() {
        "query" | "body" => {
            let value = skip_to_comma(meta.input)?;
            if !value.is_empty() {
                errors.spanned(
                    quote!(#path #value),
                    format!("`{name}` takes no value: write `#[endpoint({name})]`"),
                );
                return Ok(());
            }
            let target = if name == "query" {
                Target::Query
            } else {
                Target::Body
            };
            (target, path.to_token_stream())
        }
        "header" => match header_option(meta, errors)? {
            Some(lit) => (Target::Header(lit.value()), quote!(#path = #lit)),
            None => return Ok(()),
        },
        _ => return unknown_option(meta, &name, errors),
    };
    match found {
        Some(first) => errors.spanned(
            tokens,
            format!(
                "a field goes to one place, and this one already has `{}`: keep one",
                first.describe()
            ),
        ),
        None => *found = Some(FieldOption { target, tokens }),
    }
    Ok(())
}

fn unknown_option(meta: &ParseNestedMeta, name: &str, errors: &mut Errors) -> syn::Result<()> {
    let message = match name {
        "path" => "a path parameter needs no option: a field named like a `{placeholder}` \
                   of the path fills it"
            .to_owned(),
        _ => match did_you_mean(name, ["query", "body", "header"]) {
            hint if hint.is_empty() => {
                format!("unknown field option `{name}`: the options are {OPTIONS_USAGE}")
            }
            hint => format!("unknown field option `{name}`{hint}"),
        },
    };
    errors.spanned(&meta.path, message);
    skip_to_comma(meta.input).map(drop)
}

/// The name in `header = "name"`, if it is given as a valid one.
fn header_option(meta: &ParseNestedMeta, errors: &mut Errors) -> syn::Result<Option<LitStr>> {
    const USAGE: &str = "`#[endpoint(header = \"x-authing-app-id\")]`";
    if !meta.input.peek(Token![=]) {
        skip_to_comma(meta.input)?;
        errors.spanned(
            &meta.path,
            format!("`header` needs the header's name: {USAGE}"),
        );
        return Ok(None);
    }
    meta.input.parse::<Token![=]>()?;
    if !meta.input.peek(LitStr) {
        let value = skip_to_comma(meta.input)?;
        errors.spanned(
            value,
            format!("the header name is a string literal: {USAGE}"),
        );
        return Ok(None);
    }
    let lit: LitStr = meta.input.parse()?;
    match header_problem(&lit.value()) {
        Some(problem) => {
            errors.spanned(&lit, problem);
            Ok(None)
        }
        None => Ok(Some(lit)),
    }
}

/// Headers the client writes itself on every request: credentials, the signature's
/// inputs and the framing. An endpoint field writing one would be overwritten, or worse,
/// change what was signed. A copy of `authing_core::CLIENT_HEADERS`, which this crate
/// cannot import (a proc-macro crate builds before the core that re-exports it); the
/// test `the_client_headers_are_the_cores` keeps the two identical.
const CLIENT_HEADERS: [&str; 13] = [
    "authorization",
    "user-agent",
    "x-authing-request-from",
    "content-type",
    "content-length",
    "host",
    "date",
    "accept",
    "x-authing-userpool-id",
    "x-authing-sdk-version",
    "x-authing-signature-method",
    "x-authing-signature-version",
    "x-authing-signature-nonce",
];

/// What is wrong with a header name, if anything. A name must be an HTTP token (RFC 9110
/// §5.1) and lowercase, as HTTP/2 sends it and as Authing's SDKs write it, and must not be
/// one the client writes itself.
fn header_problem(name: &str) -> Option<String> {
    if CLIENT_HEADERS.contains(&name) {
        return Some(format!(
            "the client writes `{name}` itself on every request (credentials, signature or \
             framing), so an endpoint field cannot: remove the option, or send the value as \
             a query or body field"
        ));
    }
    let valid =
        |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "!#$%&'*+-.^_`|~".contains(c);
    let lower = name.to_ascii_lowercase();
    if name.is_empty() {
        Some("the header name is empty: give one, like \"x-authing-app-id\"".to_owned())
    } else if name.chars().all(valid) {
        None
    } else if lower.chars().all(valid) {
        Some(format!(
            "header names are written in lowercase: write \"{lower}\""
        ))
    } else {
        Some(format!(
            "\"{name}\" is not a valid HTTP header name: use lowercase letters, digits and `-`, \
             like \"x-authing-app-id\""
        ))
    }
}

/// Reads the field's serde attributes, ignoring what does not matter here.
fn serde_field(attrs: &[Attribute]) -> SerdeField {
    let mut info = SerdeField::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // Malformed serde attributes are serde's to report, with its own messages.
        let _ = attr.parse_nested_meta(|meta| read_serde_meta(&meta, &mut info));
    }
    info
}

fn read_serde_meta(meta: &ParseNestedMeta, info: &mut SerdeField) -> syn::Result<()> {
    let Some(name) = meta.path.get_ident().map(Ident::to_string) else {
        return skip_to_comma(meta.input).map(drop);
    };
    match name.as_str() {
        "rename" if meta.input.peek(Token![=]) => {
            info.rename = Some(meta.value()?.parse::<LitStr>()?.value());
        }
        "rename" => meta.parse_nested_meta(|inner| {
            if inner.path.is_ident("serialize") {
                info.rename = Some(inner.value()?.parse::<LitStr>()?.value());
            }
            skip_to_comma(inner.input).map(drop)
        })?,
        "skip" | "skip_serializing" => info.skipped = true,
        "skip_serializing_if" => info.has_skip_serializing_if = true,
        "flatten" => info.flatten = true,
        "serialize_with" | "with" => info.custom_serialize = true,
        _ => {}
    }
    skip_to_comma(meta.input).map(drop) // the value of anything not read above
}

/// Whether `ty` is `Option<..>`, written as `Option`, `std::option::Option` or
/// `core::option::Option`. An alias of `Option` is not seen through: such a field is sent
/// as null when `None`, unless it has its own `skip_serializing_if`.
fn is_option(ty: &Type) -> bool {
    let ty = match ty {
        Type::Group(group) => &*group.elem, // a type passed through a `macro_rules!`
        ty => ty,
    };
    let Type::Path(path) = ty else { return false };
    let segments: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let last_has_args = path
        .path
        .segments
        .last()
        .is_some_and(|s| matches!(s.arguments, syn::PathArguments::AngleBracketed(_)));
    let named = match segments.as_slice() {
        [only] => only == "Option" && path.path.leading_colon.is_none(),
        [krate, module, last] => {
            (krate == "std" || krate == "core") && module == "option" && last == "Option"
        }
        _ => false,
    };
    path.qself.is_none() && named && last_has_args
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    #[test]
    fn recognises_option_types() {
        let yes: [Type; 3] = [
            parse_quote!(Option<u8>),
            parse_quote!(::std::option::Option<Vec<u8>>),
            parse_quote!(core::option::Option<String>),
        ];
        let no: [Type; 4] = [
            parse_quote!(Vec<Option<u8>>),
            parse_quote!(my::Option<u8>),
            parse_quote!(Option),
            parse_quote!(&'a Option<u8>),
        ];
        assert!(yes.iter().all(is_option));
        assert!(!no.iter().any(is_option));
    }

    #[test]
    fn the_client_headers_are_the_cores() {
        assert_eq!(CLIENT_HEADERS, authing_core::CLIENT_HEADERS);
    }

    #[test]
    fn checks_header_names() {
        assert_eq!(header_problem("x-authing-app-id"), None);
        assert!(
            header_problem("X-Authing-App-Id")
                .unwrap()
                .contains("\"x-authing-app-id\"")
        );
        assert!(header_problem("x authing").unwrap().contains("not a valid"));
        assert!(header_problem("").unwrap().contains("empty"));
        assert!(header_problem("authorization").unwrap().contains("writes"));
        assert!(
            header_problem("x-authing-signature-nonce")
                .unwrap()
                .contains("itself")
        );
        assert_eq!(header_problem("x-authing-lang"), None);
    }

    #[test]
    fn reads_serde_renames_and_skips() {
        let field: syn::Field = parse_quote! {
            #[serde(default, rename(serialize = "userIDs", deserialize = "ids"))]
            #[serde(skip_serializing_if = "Vec::is_empty", flatten)]
            ids: Vec<String>
        };
        let info = serde_field(&field.attrs);
        assert_eq!(info.rename.as_deref(), Some("userIDs"));
        assert!(info.has_skip_serializing_if && info.flatten && !info.skipped);
    }
}
