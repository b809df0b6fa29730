//! From the inventory to a plan of what to generate: which endpoints (all but the
//! hand-declared), their Rust names, fields and types, which models and enums they reach
//! and under which cargo features, and which endpoints are paginated.

use std::collections::{BTreeMap, BTreeSet};

use crate::Error;
use crate::inventory::{Endpoint, Group, HandDeclared, Input, Type};
use crate::names;

/// Where a request field goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// The query string.
    Query,
    /// The JSON body.
    Body,
    /// A path placeholder.
    Path,
}

/// One field of a generated struct (endpoint or model).
#[derive(Debug, Clone)]
pub struct FieldPlan {
    /// The Rust field name (maybe `r#type`).
    pub rust: String,
    /// The name on the wire.
    pub wire: String,
    /// The SDK argument it comes from (endpoints only).
    pub sdk_arg: String,
    /// The inventory type.
    pub ty: Type,
    /// The Rust type, without `Option`.
    pub rust_ty: String,
    /// Required by the SDK.
    pub required: bool,
    /// Where it goes (endpoints only; `Body` for models).
    pub location: Location,
    /// Typed as `Secret`.
    pub secret: bool,
}

/// An endpoint to generate.
#[derive(Debug)]
pub struct EndpointPlan<'a> {
    /// The inventory entry.
    pub ep: &'a Endpoint,
    /// The Rust name.
    pub name: String,
    /// Its group.
    pub group: Group,
    /// The struct's fields.
    pub fields: Vec<FieldPlan>,
    /// The path with placeholders renamed to the Rust fields.
    pub path: String,
    /// The Rust response type.
    pub response: String,
    /// The request or answer carries a secret.
    pub sensitive: bool,
    /// When paginated: the item type.
    pub page_item: Option<String>,
    /// When paginated: whether the answer's `list` and `totalCount` are optional.
    pub page_optional: (bool, bool),
}

/// A model to generate.
#[derive(Debug, Default)]
pub struct ModelPlan {
    /// The Rust name.
    pub name: String,
    /// The features it compiles under.
    pub features: BTreeSet<String>,
    /// Sent in a request (`Serialize`, constructor and setters).
    pub ser: bool,
    /// Read from an answer (`Deserialize`).
    pub de: bool,
    /// Its fields.
    pub fields: Vec<FieldPlan>,
    /// Fields that are boxed to break a cycle of direct references.
    pub boxed: BTreeSet<String>,
    /// `{list, totalCount}`: the item type of `list`.
    pub page_item: Option<String>,
    /// Whether `list` and `totalCount` are optional, when a page.
    pub page_optional: (bool, bool),
}

/// A string enum to generate.
#[derive(Debug, Default)]
pub struct EnumPlan {
    /// The values, in declaration order.
    pub values: Vec<String>,
    /// The features it compiles under.
    pub features: BTreeSet<String>,
    /// The inventory enums merged into it.
    pub sources: Vec<String>,
}

/// The whole plan.
#[derive(Debug)]
pub struct Plan<'a> {
    /// The input.
    pub input: &'a Input,
    /// Generated endpoints, by group then name.
    pub endpoints: Vec<EndpointPlan<'a>>,
    /// Models by SDK name.
    pub models: BTreeMap<String, ModelPlan>,
    /// Enums by Rust name.
    pub enums: BTreeMap<String, EnumPlan>,
    /// Endpoints left to their hand-declared crate.
    pub skipped: Vec<(&'a Endpoint, HandDeclared)>,
    enum_names: BTreeMap<String, String>,
}

/// `number` fields with these wire names count things, so they are integers (`i64`);
/// every other `number` is an `f64`, as JavaScript's numbers are.
fn is_integer(wire: &str) -> bool {
    matches!(wire, "page" | "limit" | "totalCount" | "total" | "count") || wire.ends_with("Count")
}

/// A string field holding a credential: its last word is `password`, `secret` or
/// `token`, or it is a recovery code, a one-time pass code or a private key. These are
/// `Secret`s (redacted in `Debug`) and make their endpoint `sensitive` (never logged).
fn is_secret(wire: &str) -> bool {
    let w = names::words(wire);
    let last = w.last().map(String::as_str).unwrap_or("");
    let tail2 = w.len() >= 2
        && matches!(
            (w[w.len() - 2].as_str(), last),
            ("recovery", "code") | ("pass", "code") | ("private", "key")
        );
    matches!(last, "password" | "secret" | "token" | "passcode") || tail2
}

impl<'a> Plan<'a> {
    /// Plans the generation of `input`.
    pub fn new(input: &'a Input) -> Result<Self, Error> {
        let inv = &input.inventory;
        let mut plan = Plan {
            input,
            endpoints: Vec::new(),
            models: BTreeMap::new(),
            enums: BTreeMap::new(),
            skipped: Vec::new(),
            enum_names: BTreeMap::new(),
        };
        plan.name_enums();
        let model_names = model_names(input);
        let groups: BTreeMap<&str, &Group> =
            input.groups.iter().map(|g| (g.name.as_str(), g)).collect();

        let mut taken = BTreeSet::new();
        let mut chosen: Vec<(&Endpoint, String)> = Vec::new();
        for ep in &inv.endpoints {
            if let Some(h) = input
                .hand_declared
                .iter()
                .find(|h| h.side == ep.side && h.method == ep.http_method && h.path == ep.path)
            {
                plan.skipped.push((ep, h.clone()));
                continue;
            }
            chosen.push((ep, names::endpoint_candidate(&ep.sdk_method, &ep.path)));
        }
        // A name used twice (the same method on both sides, `getDetail`): the
        // authentication one, which acts as the signed-in user, gets `AsUser`.
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (_, n) in &chosen {
            *counts.entry(n.clone()).or_default() += 1;
        }
        for (ep, mut name) in chosen {
            if counts[&name] > 1 && ep.side == "authentication" {
                name.push_str("AsUser");
            }
            if !taken.insert(name.clone()) {
                return Err(Error(format!(
                    "two endpoints are both named {name}: extend the naming rule in names.rs"
                )));
            }
            let group = groups.get(ep.group.as_str()).ok_or_else(|| {
                Error(format!(
                    "group `{}` of {} is not in inventory/groups.tsv",
                    ep.group, ep.sdk_method
                ))
            })?;
            let ep_plan = plan.endpoint(ep, name, (*group).clone(), &model_names)?;
            plan.endpoints.push(ep_plan);
        }
        plan.endpoints
            .sort_by(|a, b| (a.group.module(), &a.name).cmp(&(b.group.module(), &b.name)));

        // Reachability: every model and enum an endpoint reaches compiles under its feature.
        let mut visits = Vec::new();
        for e in &plan.endpoints {
            for f in &e.fields {
                visits.push((f.ty.clone(), e.group.feature.clone(), true));
            }
            visits.push((e.ep.data.clone(), e.group.feature.clone(), false));
        }
        for (ty, feature, ser) in visits {
            plan.reach(&ty, &feature, ser, &model_names)?;
        }
        plan.box_cycles();
        plan.mark_pages();
        for e in &mut plan.endpoints {
            e.sensitive = e.fields.iter().any(|f| f.secret);
        }
        let secret_models = plan.models_with_secrets();
        for e in &mut plan.endpoints {
            let reaches = |t: &Type| type_models(t).iter().any(|m| secret_models.contains(m));
            if e.fields.iter().any(|f| reaches(&f.ty)) || reaches(&e.ep.data) {
                e.sensitive = true;
            }
            if let Type::Ref { name } = &e.ep.data {
                let integer = |wire: &str| {
                    e.fields
                        .iter()
                        .any(|f| f.wire == wire && f.rust_ty == "i64")
                };
                if let (true, Some(m)) =
                    (integer("page") && integer("limit"), plan.models.get(name))
                {
                    e.page_item = m.page_item.clone();
                    e.page_optional = m.page_optional;
                }
            }
        }
        Ok(plan)
    }

    /// Enum names: the field's name in PascalCase (`departmentIdType` ->
    /// `DepartmentIdType`), one Rust enum per distinct set of values. When one name has
    /// several value sets, the most used keeps the name and the others are prefixed with
    /// their model (`AddDepartmentMembersReqDto.departmentIdType` ->
    /// `AddDepartmentMembersReqDepartmentIdType`).
    fn name_enums(&mut self) {
        let inv = &self.input.inventory;
        let mut by_name: BTreeMap<String, Vec<(&String, &Vec<String>)>> = BTreeMap::new();
        for (key, values) in &inv.enums {
            let field = key.rsplit('.').next().unwrap_or(key);
            by_name
                .entry(names::pascal(field))
                .or_default()
                .push((key, values));
        }
        let model_names: BTreeSet<String> = model_names(self.input).into_values().collect();
        for (base, members) in by_name {
            let mut sets: Vec<(BTreeSet<&String>, Vec<&String>)> = Vec::new();
            for (key, values) in &members {
                let set: BTreeSet<&String> = values.iter().collect();
                match sets.iter_mut().find(|(s, _)| *s == set) {
                    Some((_, keys)) => keys.push(key),
                    None => sets.push((set, vec![key])),
                }
            }
            sets.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.1[0].cmp(b.1[0])));
            for (i, (_, keys)) in sets.iter().enumerate() {
                let mut name = if i == 0 {
                    base.clone()
                } else {
                    prefixed(keys[0], &base)
                };
                name = names::avoid_prelude(name);
                if model_names.contains(&name) {
                    name.push_str("Kind");
                }
                let values = inv.enums[keys[0]].clone();
                let entry = self.enums.entry(name.clone()).or_default();
                entry.values = values;
                for k in keys {
                    entry.sources.push((*k).clone());
                    self.enum_names.insert((*k).clone(), name.clone());
                }
            }
        }
    }

    fn endpoint(
        &self,
        ep: &'a Endpoint,
        name: String,
        group: Group,
        model_names: &BTreeMap<String, String>,
    ) -> Result<EndpointPlan<'a>, Error> {
        let mut fields: Vec<FieldPlan> = Vec::new();
        let mut used = BTreeSet::new();
        for p in &ep.params {
            let location = match p.location.as_str() {
                "query" => Location::Query,
                "path" => Location::Path,
                _ => Location::Body,
            };
            if fields
                .iter()
                .any(|f| f.wire == p.wire_name && f.location == location)
            {
                continue;
            }
            // A path parameter's wire name is only the placeholder's spelling
            // (`{credentialID}`): the Rust field is named after the SDK's argument.
            let named = if location == Location::Path {
                &p.sdk_arg
            } else {
                &p.wire_name
            };
            let rust = unique(names::snake(named), &mut used);
            let secret = matches!(p.ty, Type::String) && is_secret(&p.wire_name);
            fields.push(FieldPlan {
                rust_ty: self.rust_type(&p.ty, &p.wire_name, secret, model_names),
                rust,
                wire: p.wire_name.clone(),
                sdk_arg: p.sdk_arg.clone(),
                ty: p.ty.clone(),
                required: p.required || location == Location::Path,
                location,
                secret,
            });
        }
        // Placeholders the SDK has no argument for still need a value.
        let mut path = ep.path.clone();
        for placeholder in placeholders(&ep.path) {
            let existing = fields
                .iter()
                .find(|f| f.location == Location::Path && f.wire == placeholder);
            let rust = match existing {
                Some(f) => f.rust.clone(),
                None => {
                    let rust = unique(names::snake(&placeholder), &mut used);
                    fields.push(FieldPlan {
                        rust: rust.clone(),
                        wire: placeholder.clone(),
                        sdk_arg: placeholder.clone(),
                        ty: Type::String,
                        rust_ty: "String".into(),
                        required: true,
                        location: Location::Path,
                        secret: false,
                    });
                    rust
                }
            };
            path = path.replace(
                &format!("{{{placeholder}}}"),
                &format!("{{{}}}", rust.trim_start_matches("r#")),
            );
        }
        let response = match &ep.data {
            Type::None => "()".to_owned(),
            t => self.rust_type(t, "data", false, model_names),
        };
        Ok(EndpointPlan {
            ep,
            name,
            group,
            fields,
            path,
            response,
            sensitive: false,
            page_item: None,
            page_optional: (false, false),
        })
    }

    /// The Rust type of an inventory type; `wire` is the field's name (for the integer and
    /// secret rules).
    pub fn rust_type(
        &self,
        ty: &Type,
        wire: &str,
        secret: bool,
        model_names: &BTreeMap<String, String>,
    ) -> String {
        match ty {
            Type::String if secret => "authing_core::Secret".into(),
            Type::String => "String".into(),
            Type::Number if is_integer(wire) => "i64".into(),
            Type::Number => "f64".into(),
            Type::Boolean => "bool".into(),
            Type::Any | Type::None => "serde_json::Value".into(),
            Type::Ref { name } => match model_names.get(name) {
                Some(rust) if !self.input.inventory.models[name].fields.is_empty() => {
                    format!("models::{rust}")
                }
                _ => "serde_json::Value".into(),
            },
            Type::Enum { name } => match self.enum_names.get(name) {
                Some(rust) => format!("models::{rust}"),
                None => "String".into(),
            },
            Type::Array { items } => {
                format!("Vec<{}>", self.rust_type(items, wire, false, model_names))
            }
            Type::Map { values } => format!(
                "std::collections::BTreeMap<String, {}>",
                self.rust_type(values, wire, false, model_names)
            ),
        }
    }

    fn reach(
        &mut self,
        ty: &Type,
        feature: &str,
        ser: bool,
        model_names: &BTreeMap<String, String>,
    ) -> Result<(), Error> {
        match ty {
            Type::Array { items } => self.reach(items, feature, ser, model_names),
            Type::Map { values } => self.reach(values, feature, ser, model_names),
            Type::Enum { name } => {
                if let Some(rust) = self.enum_names.get(name) {
                    let rust = rust.clone();
                    self.enums
                        .get_mut(&rust)
                        .map(|e| e.features.insert(feature.to_owned()));
                }
                Ok(())
            }
            Type::Ref { name } => {
                let Some(model) = self.input.inventory.models.get(name) else {
                    return Err(Error(format!(
                        "model {name} is referenced but not in the inventory"
                    )));
                };
                if model.fields.is_empty() {
                    return Ok(());
                }
                let (new_feature, new_dir, needs_fields) = {
                    let entry = self.models.entry(name.clone()).or_default();
                    let new_feature = entry.features.insert(feature.to_owned());
                    let was = if ser {
                        std::mem::replace(&mut entry.ser, true)
                    } else {
                        std::mem::replace(&mut entry.de, true)
                    };
                    (new_feature, !was, entry.fields.is_empty())
                };
                if !new_feature && !new_dir && !needs_fields {
                    return Ok(());
                }
                if needs_fields {
                    let mut used = BTreeSet::new();
                    let fields: Vec<FieldPlan> = model
                        .fields
                        .iter()
                        .map(|f| {
                            let secret = matches!(f.ty, Type::String) && is_secret(&f.wire_name);
                            FieldPlan {
                                rust: unique(names::snake(&f.wire_name), &mut used),
                                wire: f.wire_name.clone(),
                                sdk_arg: f.wire_name.clone(),
                                ty: f.ty.clone(),
                                rust_ty: self.rust_type(&f.ty, &f.wire_name, secret, model_names),
                                required: f.required,
                                location: Location::Body,
                                secret,
                            }
                        })
                        .collect();
                    let entry = self.models.get_mut(name).expect("just inserted");
                    entry.name = model_names[name].clone();
                    entry.fields = fields;
                }
                let inner: Vec<Type> = model.fields.iter().map(|f| f.ty.clone()).collect();
                for t in inner {
                    self.reach(&t, feature, ser, model_names)?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// A field that refers to a model directly (not through a `Vec` or map) from which
    /// the owner can be reached the same way would make an infinitely large type: box it.
    fn box_cycles(&mut self) {
        let direct: BTreeMap<String, Vec<(String, String)>> = self
            .models
            .iter()
            .map(|(k, m)| {
                let edges = m
                    .fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        Type::Ref { name } if self.models.contains_key(name) => {
                            Some((f.rust.clone(), name.clone()))
                        }
                        _ => None,
                    })
                    .collect();
                (k.clone(), edges)
            })
            .collect();
        let reaches = |from: &str, to: &str| {
            let mut stack = vec![from.to_owned()];
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if n == to {
                    return true;
                }
                if seen.insert(n.clone()) {
                    stack.extend(direct.get(&n).into_iter().flatten().map(|(_, t)| t.clone()));
                }
            }
            false
        };
        for (owner, edges) in &direct {
            for (field, target) in edges {
                if reaches(target, owner) {
                    self.models
                        .get_mut(owner)
                        .expect("known")
                        .boxed
                        .insert(field.clone());
                }
            }
        }
    }

    /// A model with `list: Vec<T>` and `totalCount` is one page of a paginated list.
    fn mark_pages(&mut self) {
        for m in self.models.values_mut() {
            let list = m
                .fields
                .iter()
                .find(|f| f.wire == "list" && matches!(f.ty, Type::Array { .. }));
            let total = m
                .fields
                .iter()
                .find(|f| f.wire == "totalCount" && f.rust_ty == "i64");
            if let (Some(list), Some(total)) = (list, total) {
                m.page_item = list
                    .rust_ty
                    .strip_prefix("Vec<")
                    .and_then(|s| s.strip_suffix('>'))
                    .map(str::to_owned);
                m.page_optional = (!list.required, !total.required);
            }
        }
    }

    fn models_with_secrets(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self
            .models
            .iter()
            .filter(|(_, m)| m.fields.iter().any(|f| f.secret))
            .map(|(k, _)| k.clone())
            .collect();
        loop {
            let more: Vec<String> = self
                .models
                .iter()
                .filter(|(k, m)| {
                    !out.contains(*k)
                        && m.fields
                            .iter()
                            .any(|f| type_models(&f.ty).iter().any(|t| out.contains(t)))
                })
                .map(|(k, _)| k.clone())
                .collect();
            if more.is_empty() {
                return out;
            }
            out.extend(more);
        }
    }

    /// The Rust path of an enum by inventory name, for docs.
    pub fn enum_rust_name(&self, inventory_name: &str) -> Option<&str> {
        self.enum_names.get(inventory_name).map(String::as_str)
    }
}

/// Model names: the SDK's name without `Dto`, unless two models would then share a name
/// (or it is taken by another model's SDK name): those keep their SDK names.
fn model_names(input: &Input) -> BTreeMap<String, String> {
    let models = &input.inventory.models;
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for k in models.keys() {
        *count.entry(names::model_candidate(k)).or_default() += 1;
    }
    models
        .keys()
        .map(|k| {
            let c = names::model_candidate(k);
            let clash = count[&c] > 1 || (c != *k && models.contains_key(&c));
            let name = if clash { names::pascal_keep(k) } else { c };
            (k.clone(), names::avoid_prelude(name))
        })
        .collect()
}

fn prefixed(key: &str, base: &str) -> String {
    let owner = key.rsplit_once('.').map(|(o, _)| o).unwrap_or(key);
    let owner = owner.rsplit('.').next().unwrap_or(owner);
    format!("{}{base}", names::model_candidate(owner))
}

fn unique(name: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{}_{n}", name.trim_start_matches("r#"));
        n += 1;
    }
    candidate
}

/// The `{name}` placeholders of a path.
pub fn placeholders(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(n, _)| n.to_owned()))
        .collect()
}

/// The models a type refers to, directly or inside arrays and maps.
pub fn type_models(ty: &Type) -> Vec<String> {
    match ty {
        Type::Ref { name } => vec![name.clone()],
        Type::Array { items } => type_models(items),
        Type::Map { values } => type_models(values),
        _ => Vec::new(),
    }
}
