//! What `#[endpoint]` emits beside its errors, so that the code using the endpoint does
//! not pile further errors on the real ones (the approach of thiserror-impl's fallback).
//!
//! The struct is kept without the attributes only `#[endpoint]` would understand, with
//! impls of `Serialize`, `Endpoint` and the side's marker whose bodies never run: the
//! build fails on the reported errors before anything could call them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Attribute, Data, DeriveInput, parse_quote};

use crate::attr;
use crate::errors::Errors;
use crate::fields::serialize_derives;

/// The stand-in for `#[endpoint(<attr>)] <item>` when expanding it reported errors.
pub(crate) fn fallback(attr: TokenStream, item: TokenStream) -> TokenStream {
    let Ok(mut input) = syn::parse2::<DeriveInput>(item) else {
        return TokenStream::new(); // not even a type: nothing can refer to it
    };
    // The attribute's errors were reported by the expansion; read what is usable.
    let args = attr::parse(attr, &mut Errors::default());
    let derives_serialize = input.attrs.iter().any(|a| !serialize_derives(a).is_empty());
    strip_helper_attrs(&mut input);

    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = args.response.map_or_else(|| quote!(()), |ty| quote!(#ty));
    let marker = format_ident!("{}", args.side.marker_trait());
    let serde = quote!(::authing_core::__private::serde);
    // A user's own derive is reported as an error, but it does implement the trait.
    let serialize = (!derives_serialize).then(|| {
        quote! {
            impl #impl_generics #serde::Serialize for #ident #ty_generics #where_clause {
                fn serialize<S: #serde::Serializer>(
                    &self,
                    _: S,
                ) -> ::core::result::Result<S::Ok, S::Error> {
                    ::core::unreachable!("#[endpoint] reported errors for this struct")
                }
            }
        }
    });
    // A user's derive bounds type parameters by `Serialize`; bound the impls the same way,
    // or they would add an error of their own.
    let mut bounded = input.generics.clone();
    bounded
        .make_where_clause()
        .predicates
        .push(parse_quote!(#ident #ty_generics: #serde::Serialize));
    let where_clause = &bounded.where_clause;
    quote! {
        #[allow(dead_code)]
        #input
        #serialize
        impl #impl_generics ::authing_core::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            const METADATA: ::authing_core::Metadata =
                ::authing_core::Metadata::new(::authing_core::Method::Get, "/");
        }
        impl #impl_generics ::authing_core::#marker for #ident #ty_generics #where_clause {}
    }
}

/// Removes `#[serde]` and `#[endpoint]` attributes: without the serde derive nothing
/// would accept them.
fn strip_helper_attrs(input: &mut DeriveInput) {
    let helper = |a: &Attribute| a.path().is_ident("serde") || a.path().is_ident("endpoint");
    input.attrs.retain(|a| !helper(a));
    let fields: Vec<&mut syn::Field> = match &mut input.data {
        Data::Struct(data) => data.fields.iter_mut().collect(),
        Data::Enum(data) => data
            .variants
            .iter_mut()
            .flat_map(|v| {
                v.attrs.retain(|a| !helper(a));
                v.fields.iter_mut()
            })
            .collect(),
        Data::Union(data) => data.fields.named.iter_mut().collect(),
    };
    for field in fields {
        field.attrs.retain(|a| !helper(a));
    }
}
