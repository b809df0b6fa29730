//! The inventory's JSON (`inventory/authing-v3.json`, described in `inventory/README.md`)
//! and the hand-kept tables beside it, read into plain types.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::Error;

/// The whole inventory.
#[derive(Debug, Deserialize)]
pub struct Inventory {
    /// Which SDK it was read from.
    pub sdk: Sdk,
    /// Every SDK method that sends one HTTP call.
    pub endpoints: Vec<Endpoint>,
    /// SDK methods left out, with the reason.
    pub excluded: Vec<Excluded>,
    /// Models by their SDK name.
    pub models: BTreeMap<String, Model>,
    /// String enums by `Model.field`, with their values in declaration order.
    pub enums: BTreeMap<String, Vec<String>>,
}

/// The SDK package the inventory describes.
#[derive(Debug, Deserialize)]
pub struct Sdk {
    /// The npm package name.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// One SDK method and the call it sends.
#[derive(Debug, Deserialize)]
pub struct Endpoint {
    /// `management` or `authentication`.
    pub side: String,
    /// The SDK method's name.
    pub sdk_method: String,
    /// `GET`, `POST`, `PUT` or `DELETE`.
    pub http_method: String,
    /// The path, `{name}` for a path parameter.
    pub path: String,
    /// The SDK method's arguments in order.
    pub sdk_args: Vec<SdkArg>,
    /// Every parameter, wherever it goes.
    pub params: Vec<Param>,
    /// `json` or `form`.
    pub body_encoding: String,
    /// The body model, when the SDK takes one.
    pub request_model: Option<String>,
    /// `envelope` or `plain`.
    pub answer: String,
    /// The type of the envelope's `data` (or of the plain answer).
    pub data: Type,
    /// Marked `@deprecated` in the SDK.
    pub deprecated: bool,
    /// Things the SDK sends oddly.
    pub sdk_quirks: Vec<String>,
    /// The documentation group.
    pub group: String,
    /// Authing's reference page, where one exists.
    pub doc_page: Option<String>,
}

/// One argument of an SDK method.
#[derive(Debug, Deserialize)]
pub struct SdkArg {
    /// `fields`, `body`, `form`, `path` or `value`.
    pub kind: String,
    /// The argument's name (not for `fields`).
    pub name: Option<String>,
}

/// One parameter of a call.
#[derive(Debug, Deserialize)]
pub struct Param {
    /// The name on the wire.
    pub wire_name: String,
    /// The SDK argument it comes from.
    pub sdk_arg: String,
    /// `query`, `body` or `path`.
    pub location: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Whether the SDK requires it.
    pub required: bool,
}

/// An excluded SDK method.
#[derive(Debug, Deserialize)]
pub struct Excluded {
    /// The side.
    pub side: String,
    /// The method.
    pub sdk_method: String,
    /// Why it is not generated.
    pub reason: String,
}

/// A model: an object with named fields.
#[derive(Debug, Deserialize)]
pub struct Model {
    /// Its fields in declaration order.
    pub fields: Vec<Field>,
}

/// A field of a model.
#[derive(Debug, Deserialize)]
pub struct Field {
    /// The name on the wire.
    pub wire_name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub ty: Type,
    /// Whether the SDK marks it required.
    pub required: bool,
}

/// The inventory's type notation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Type {
    /// A string.
    String,
    /// A JavaScript number.
    Number,
    /// A boolean.
    Boolean,
    /// Anything.
    Any,
    /// No data at all.
    None,
    /// A model.
    Ref {
        /// Its SDK name.
        name: String,
    },
    /// A string enum.
    Enum {
        /// Its inventory name, `Model.field`.
        name: String,
    },
    /// An array.
    Array {
        /// The element type.
        items: Box<Type>,
    },
    /// An object with arbitrary keys.
    Map {
        /// The value type.
        values: Box<Type>,
    },
}

/// One row of `inventory/groups.tsv`.
#[derive(Debug, Clone)]
pub struct Group {
    /// The inventory's group name.
    pub name: String,
    /// The cargo feature.
    pub feature: String,
    /// The module's title.
    pub title: String,
}

impl Group {
    /// The Rust module name: the feature with `-` as `_`.
    pub fn module(&self) -> String {
        self.feature.replace('-', "_")
    }
}

/// An endpoint declared by hand elsewhere (`inventory/hand-declared.tsv`).
#[derive(Debug, Clone)]
pub struct HandDeclared {
    /// The side.
    pub side: String,
    /// The HTTP method.
    pub method: String,
    /// The path.
    pub path: String,
    /// The crate that declares it.
    pub krate: String,
}

/// Everything the generator reads.
#[derive(Debug)]
pub struct Input {
    /// The inventory.
    pub inventory: Inventory,
    /// The groups table.
    pub groups: Vec<Group>,
    /// Endpoints declared by hand.
    pub hand_declared: Vec<HandDeclared>,
}

impl Input {
    /// Reads `authing-v3.json`, `groups.tsv` and `hand-declared.tsv` from `dir`.
    pub fn read(dir: &Path) -> Result<Self, Error> {
        let json = read(&dir.join("authing-v3.json"))?;
        let inventory = serde_json::from_str(&json)
            .map_err(|e| Error(format!("inventory/authing-v3.json does not parse: {e}")))?;
        let groups = tsv(&read(&dir.join("groups.tsv"))?)
            .map(|row| Group {
                name: row[0].clone(),
                feature: row[1].clone(),
                title: row[2].clone(),
            })
            .collect();
        let hand_declared = tsv(&read(&dir.join("hand-declared.tsv"))?)
            .map(|row| HandDeclared {
                side: row[0].clone(),
                method: row[1].clone(),
                path: row[2].clone(),
                krate: row[3].clone(),
            })
            .collect();
        Ok(Self {
            inventory,
            groups,
            hand_declared,
        })
    }
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error(format!("cannot read {}: {e}", path.display())))
}

/// The rows of a TSV after its header, skipping `#` comments and blank lines.
fn tsv(text: &str) -> impl Iterator<Item = Vec<String>> + '_ {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::to_owned).collect::<Vec<_>>())
        .filter(|row| row.len() >= 3)
}
