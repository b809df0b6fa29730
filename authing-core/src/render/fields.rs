//! A GET's parameters straight from serde: the top-level fields of an endpoint, without
//! a `serde_json::Value` tree of the whole endpoint. Scalars (most query parameters) are
//! rendered here as [`render_param`](super::render_param) renders them; a field holding an
//! object or array becomes a `Value` (the request line spells those out, see `query`),
//! and a shape this does not know (an enum with data at the top level) is left to the
//! general path, which gives the same answer more slowly.

use std::fmt::Display;

use serde::ser::{self, Impossible, Serialize, SerializeMap, SerializeStruct};
use serde_json::Value;

/// Why [`fields`] gave no answer.
#[derive(Debug)]
pub(crate) enum FieldsError {
    /// A shape this fast path does not render: take the general one.
    Fallback,
    /// The value's `Serialize` failed.
    Failed(serde_json::Error),
}

impl Display for FieldsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldsError::Fallback => f.write_str("not rendered on the fast path"),
            FieldsError::Failed(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for FieldsError {}

impl ser::Error for FieldsError {
    fn custom<T: Display>(msg: T) -> Self {
        FieldsError::Failed(<serde_json::Error as ser::Error>::custom(msg))
    }
}

/// One top-level field's value.
#[derive(Debug, PartialEq)]
pub(crate) enum Field {
    /// A scalar, rendered; `None` for null.
    Scalar(Option<String>),
    /// An object or array.
    Compound(Value),
}

type Fields = Vec<(String, Field)>;
type Result<T> = std::result::Result<T, FieldsError>;

/// The top-level fields of `value`, in the order serde writes them.
pub(crate) fn fields(value: &impl Serialize) -> Result<Fields> {
    let mut out = TopLevel(Vec::with_capacity(4));
    value.serialize(&mut out)?;
    Ok(out.0)
}

/// One field's value: a scalar rendered here, an object or array as a `Value`.
fn render<T: ?Sized + Serialize>(value: &T) -> Result<Field> {
    match value.serialize(Scalar) {
        Ok(rendered) => Ok(Field::Scalar(rendered)),
        Err(FieldsError::Fallback) => serde_json::to_value(value)
            .map(Field::Compound)
            .map_err(FieldsError::Failed),
        Err(e) => Err(e),
    }
}

struct TopLevel(Fields);

/// The rest of the top-level `Serializer` methods: none is an object of parameters.
macro_rules! fall_back {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ok> {
            Err(FieldsError::Fallback)
        })*
    };
}

impl<'a> ser::Serializer for &'a mut TopLevel {
    type Ok = ();
    type Error = FieldsError;
    type SerializeSeq = Impossible<(), FieldsError>;
    type SerializeTuple = Impossible<(), FieldsError>;
    type SerializeTupleStruct = Impossible<(), FieldsError>;
    type SerializeTupleVariant = Impossible<(), FieldsError>;
    type SerializeMap = TopLevelMap<'a>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), FieldsError>;

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self> {
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<TopLevelMap<'a>> {
        Ok(TopLevelMap {
            fields: self,
            key: None,
        })
    }

    // Null: no parameters, as a unit struct.
    fn serialize_unit(self) -> Result<()> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        Ok(())
    }

    fn serialize_none(self) -> Result<()> {
        Ok(())
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<()> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(FieldsError::Fallback)
    }

    fall_back! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

impl SerializeStruct for &mut TopLevel {
    type Ok = ();
    type Error = FieldsError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        let rendered = render(value)?;
        self.0.push((key.to_owned(), rendered));
        Ok(())
    }

    fn end(self) -> Result<()> {
        Ok(())
    }
}

/// A top-level map (a struct with `#[serde(flatten)]` fields serialises as one).
struct TopLevelMap<'a> {
    fields: &'a mut TopLevel,
    key: Option<String>,
}

impl SerializeMap for TopLevelMap<'_> {
    type Ok = ();
    type Error = FieldsError;

    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<()> {
        // serde_json writes a scalar key as the string it renders to; a null key is an
        // error there, left to the general path to report.
        self.key = Some(key.serialize(Scalar)?.ok_or(FieldsError::Fallback)?);
        Ok(())
    }

    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<()> {
        let key = self.key.take().ok_or(FieldsError::Fallback)?;
        let rendered = render(value)?;
        self.fields.0.push((key, rendered));
        Ok(())
    }

    fn end(self) -> Result<()> {
        Ok(())
    }
}

/// Renders one scalar as the signature scheme writes it; anything with parts falls back.
struct Scalar;

impl ser::Serializer for Scalar {
    type Ok = Option<String>;
    type Error = FieldsError;
    type SerializeSeq = Impossible<Option<String>, FieldsError>;
    type SerializeTuple = Impossible<Option<String>, FieldsError>;
    type SerializeTupleStruct = Impossible<Option<String>, FieldsError>;
    type SerializeTupleVariant = Impossible<Option<String>, FieldsError>;
    type SerializeMap = Impossible<Option<String>, FieldsError>;
    type SerializeStruct = Impossible<Option<String>, FieldsError>;
    type SerializeStructVariant = Impossible<Option<String>, FieldsError>;

    fn serialize_bool(self, v: bool) -> Result<Option<String>> {
        Ok(Some(v.to_string()))
    }

    fn serialize_i64(self, v: i64) -> Result<Option<String>> {
        Ok(Some(v.to_string()))
    }

    fn serialize_u64(self, v: u64) -> Result<Option<String>> {
        Ok(Some(v.to_string()))
    }

    fn serialize_i8(self, v: i8) -> Result<Option<String>> {
        self.serialize_i64(v.into())
    }

    fn serialize_i16(self, v: i16) -> Result<Option<String>> {
        self.serialize_i64(v.into())
    }

    fn serialize_i32(self, v: i32) -> Result<Option<String>> {
        self.serialize_i64(v.into())
    }

    fn serialize_u8(self, v: u8) -> Result<Option<String>> {
        self.serialize_u64(v.into())
    }

    fn serialize_u16(self, v: u16) -> Result<Option<String>> {
        self.serialize_u64(v.into())
    }

    fn serialize_u32(self, v: u32) -> Result<Option<String>> {
        self.serialize_u64(v.into())
    }

    fn serialize_f32(self, v: f32) -> Result<Option<String>> {
        self.serialize_f64(v.into())
    }

    /// As JavaScript prints it; NaN and infinities are JSON's null, so left out.
    fn serialize_f64(self, v: f64) -> Result<Option<String>> {
        Ok(v.is_finite()
            .then(|| ryu_js::Buffer::new().format(v).to_owned()))
    }

    fn serialize_char(self, v: char) -> Result<Option<String>> {
        Ok(Some(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<Option<String>> {
        Ok(Some(v.to_owned()))
    }

    fn serialize_none(self) -> Result<Option<String>> {
        Ok(None)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<Option<String>> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Option<String>> {
        Ok(None)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>> {
        Ok(None)
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<String>> {
        Ok(Some(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<String>> {
        Err(FieldsError::Fallback)
    }

    fall_back! {
        serialize_bytes(&[u8]) -> Option<String>;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Kind {
        UserId,
    }

    #[derive(Serialize)]
    struct Inner {
        z: f64,
        y: Vec<u8>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Query {
        user_id: &'static str,
        kind: Kind,
        page: u32,
        ratio: f64,
        whole: f64,
        big: f64,
        nan: f64,
        flag: bool,
        none: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<String>,
        some: Option<i64>,
        letter: char,
        inner: Inner,
        list: Vec<&'static str>,
        #[serde(flatten)]
        extra: BTreeMap<String, u8>,
    }

    fn query() -> Query {
        Query {
            user_id: "a b&\"c\"\n",
            kind: Kind::UserId,
            page: 2,
            ratio: 1.5,
            whole: 1.0,
            big: 1e21,
            nan: f64::NAN,
            flag: true,
            none: None,
            skipped: None,
            some: Some(-3),
            letter: 'x',
            inner: Inner {
                z: 1.0,
                y: vec![1, 2],
            },
            list: vec!["a", "b"],
            extra: BTreeMap::from([("k".to_owned(), 7)]),
        }
    }

    #[test]
    fn the_fast_path_renders_what_the_general_path_renders() {
        let value = query();
        let Value::Object(general) = serde_json::to_value(&value).unwrap() else {
            unreachable!("a struct serialises to an object")
        };
        let fast = fields(&value).unwrap();
        assert_eq!(fast.len(), general.len());
        for ((name, field), (key, value)) in fast.iter().zip(&general) {
            assert_eq!(name, key);
            match field {
                Field::Scalar(rendered) => {
                    assert_eq!(
                        rendered.as_deref(),
                        super::super::render_param(value).as_deref(),
                        "{key}"
                    )
                }
                Field::Compound(compound) => assert_eq!(compound, value, "{key}"),
            }
        }
        assert_eq!(fast[0].1, Field::Scalar(Some("a b&\"c\"\n".to_owned())));
        assert_eq!(fast[1].1, Field::Scalar(Some("userId".to_owned())));
        assert_eq!(fast[4].1, Field::Scalar(Some("1".to_owned())));
        assert_eq!(fast[6].1, Field::Scalar(None), "NaN is JSON null");
        assert_eq!(fast[8].1, Field::Scalar(None), "None is JSON null");
        assert!(matches!(fast[11].1, Field::Compound(Value::Object(_))));
    }

    #[test]
    fn shapes_that_are_not_objects_fall_back_or_give_no_fields() {
        assert!(matches!(fields(&"text"), Err(FieldsError::Fallback)));
        assert!(matches!(fields(&[1, 2]), Err(FieldsError::Fallback)));
        assert!(fields(&()).unwrap().is_empty());
        assert!(fields(&None::<u8>).unwrap().is_empty());
    }
}
