//! Turns a checked endpoint into code: the struct with its serde derive, the `Endpoint`
//! impl and the marker impl of its side.
//!
//! The expansion is kept as small as the same endpoint written by hand: everything that
//! turns an endpoint into a request lives once in authing_core, and `write_parts` is only
//! written for endpoints with fields outside the serialised parameters.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::token::{Bracket, Paren};
use syn::{
    AttrStyle, Attribute, Data, DeriveInput, Expr, ExprLit, Fields, Ident, Lit, LitStr,
    MacroDelimiter, Meta, MetaList, MetaNameValue, Token, Type,
};

use crate::attr::{self, AnswerFormat, Args, Auth, BodyFormat, HttpMethod, Side};
use crate::errors::Errors;
use crate::fields::{self, Case, EndpointStruct, FieldInfo};
use crate::path;
use crate::plan::{self, Placement};

/// Expands `#[endpoint(<attr>)] <item>`, or returns every problem found at once.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let mut errors = Errors::default();
    let args = attr::parse(attr, &mut errors);
    args.check_combinations(&mut errors);
    let placeholders = match &args.path {
        Some(path) => path::placeholders(path, &mut errors),
        None => Vec::new(),
    };
    let endpoint = fields::parse(item, &mut errors);
    // An unknown method only changes which fields move; the conflicts are still worth
    // reporting, so plan as if for a body method.
    let params_in_query = args.method.is_some_and(HttpMethod::params_in_query);
    let placements = endpoint.as_ref().map(|e| {
        plan::plan(
            &e.fields,
            &placeholders,
            args.path.as_ref(),
            (params_in_query, e.case),
            &mut errors,
        )
    });
    errors.finish()?;
    match (endpoint, placements, Checked::new(&args)) {
        (Some(endpoint), Some(placements), Some(checked)) => {
            Ok(emit(&checked, endpoint, &placements))
        }
        // Every missing part was reported above; this only keeps a bug from panicking.
        _ => Err(syn::Error::new(
            Span::call_site(),
            "#[endpoint] could not read this endpoint; please report this as a bug of authing-macros",
        )),
    }
}

/// The attribute's arguments once all of them are known to be present.
struct Checked<'a> {
    method: HttpMethod,
    path: &'a LitStr,
    response: &'a Type,
    side: Side,
    body: BodyFormat,
    answer: AnswerFormat,
    auth: Auth,
    idempotent: bool,
    sensitive: bool,
}

impl<'a> Checked<'a> {
    fn new(args: &'a Args) -> Option<Self> {
        Some(Self {
            method: args.method?,
            path: args.path.as_ref()?,
            response: args.response.as_ref()?,
            side: args.side,
            body: args.body,
            answer: args.answer,
            auth: args.auth,
            idempotent: args.idempotent,
            sensitive: args.sensitive,
        })
    }
}

fn emit(args: &Checked, mut endpoint: EndpointStruct, placements: &[Placement]) -> TokenStream {
    add_field_attrs(&mut endpoint.input, &endpoint.fields, placements);
    add_docs(&mut endpoint.input.attrs, args);
    let input = &endpoint.input;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let response = args.response;
    let method = format_ident!("{}", args.method.variant());
    let path = args.path;
    let idempotent = args.idempotent.then(|| quote!(.idempotent()));
    let sensitive = args.sensitive.then(|| quote!(.sensitive()));
    let no_body = no_body(args.method, placements).then(|| quote!(.no_body()));
    let options = metadata_options(args);
    let write_parts = write_parts(&endpoint.fields, placements);
    let marker = format_ident!("{}", args.side.marker_trait());
    // A `rename_all` of the user's own stays on the struct; serde refuses two.
    let rename_all = (endpoint.case == Case::Camel).then(|| quote!(, rename_all = "camelCase"));
    quote! {
        #[derive(::authing_core::__private::serde::Serialize)]
        #[serde(crate = "::authing_core::__private::serde" #rename_all)]
        #input
        #[automatically_derived]
        impl #impl_generics ::authing_core::Endpoint for #ident #ty_generics #where_clause {
            type Response = #response;
            const METADATA: ::authing_core::Metadata = ::authing_core::Metadata::new(
                ::authing_core::Method::#method, #path
            ) #idempotent #sensitive #no_body #options;
            #write_parts
        }
        #[automatically_derived]
        impl #impl_generics ::authing_core::#marker for #ident #ty_generics #where_clause {}
    }
}

/// Whether a body method has no field that goes to the body (a unit struct, or every field
/// in the path, query or headers): it then sends no body, as the official SDK does.
fn no_body(method: HttpMethod, placements: &[Placement]) -> bool {
    !method.params_in_query()
        && placements
            .iter()
            .all(|p| !matches!(p, Placement::Serialized | Placement::Body(_)))
}

/// The calls that set `body`, `answer` and `auth` on the metadata, each only when it is not
/// the default, so that most expansions stay as short as before these options existed.
fn metadata_options(args: &Checked) -> TokenStream {
    let core = quote!(::authing_core);
    let mut calls = TokenStream::new();
    if args.body == BodyFormat::Form {
        calls.extend(quote!(.body(#core::BodyFormat::Form)));
    }
    if args.answer == AnswerFormat::Plain {
        calls.extend(quote!(.answer(#core::AnswerFormat::Plain)));
    }
    let auth = match args.auth {
        Auth::Caller => None,
        Auth::Client => Some(quote!(Client)),
        Auth::Bearer => Some(quote!(Bearer)),
        Auth::None => Some(quote!(None)),
    };
    if let Some(auth) = auth {
        calls.extend(quote!(.auth(#core::Authorization::#auth)));
    }
    calls
}

/// Adds `#[serde(skip)]` to fields written by `write_parts`, and leaves out a `None`
/// rather than sending null.
fn add_field_attrs(input: &mut DeriveInput, infos: &[FieldInfo], placements: &[Placement]) {
    let Data::Struct(data) = &mut input.data else {
        return;
    };
    let Fields::Named(named) = &mut data.fields else {
        return;
    };
    for ((field, info), placement) in named.named.iter_mut().zip(infos).zip(placements) {
        let serde = &info.serde;
        if placement.written_by_parts() {
            if !serde.skipped {
                field.attrs.push(serde_attr(quote!(skip)));
            }
        } else if info.is_option
            && !serde.skipped
            && !serde.flatten
            && !serde.has_skip_serializing_if
        {
            field.attrs.push(serde_attr(quote!(
                skip_serializing_if = "::core::option::Option::is_none"
            )));
        }
    }
}

/// Appends to the user's docs, as a paragraph of its own, what the endpoint sends and
/// answers.
fn add_docs(attrs: &mut Vec<Attribute>, args: &Checked) {
    let mut how = format!("{} API", args.side.as_str());
    if args.body == BodyFormat::Form {
        how.push_str(", form-encoded body");
    }
    match args.auth {
        Auth::Caller => {}
        Auth::Client => how.push_str(", authenticated as the application"),
        Auth::Bearer => how.push_str(", with the user's access token as a bearer token"),
        Auth::None => how.push_str(", without credentials"),
    }
    let unwrapped = match args.answer {
        AnswerFormat::Envelope => "",
        AnswerFormat::Plain => ", without Authing's envelope",
    };
    let line = format!(
        " Sends `{} {}` ({how}); answers {}{unwrapped}.",
        args.method.as_str(),
        args.path.value(),
        answers(args.response),
    );
    let mut added = vec![doc_attr(&line)];
    // Right after the user's last doc line, so that `cargo expand` reads naturally.
    let at = match attrs.iter().rposition(|a| a.path().is_ident("doc")) {
        Some(last_doc) => {
            added.insert(0, doc_attr(""));
            last_doc + 1
        }
        None => attrs.len(),
    };
    attrs.splice(at..at, added);
}

// The two attributes below are built as syntax trees rather than with `parse_quote!`,
// which would print and parse them again: with hundreds of endpoints that shows in build
// times (the macro runs unoptimised in debug builds).

/// `#[serde(<args>)]`.
fn serde_attr(args: TokenStream) -> Attribute {
    outer_attr(Meta::List(MetaList {
        path: Ident::new("serde", Span::call_site()).into(),
        delimiter: MacroDelimiter::Paren(Paren::default()),
        tokens: args,
    }))
}

/// `#[doc = "<text>"]`.
fn doc_attr(text: &str) -> Attribute {
    outer_attr(Meta::NameValue(MetaNameValue {
        path: Ident::new("doc", Span::call_site()).into(),
        eq_token: Token![=](Span::call_site()),
        value: Expr::Lit(ExprLit {
            attrs: Vec::new(),
            lit: Lit::Str(LitStr::new(text, Span::call_site())),
        }),
    }))
}

fn outer_attr(meta: Meta) -> Attribute {
    Attribute {
        pound_token: Token![#](Span::call_site()),
        style: AttrStyle::Outer,
        bracket_token: Bracket::default(),
        meta,
    }
}

/// The response type for the docs: a link where rustdoc can resolve one.
fn answers(response: &Type) -> String {
    match response {
        Type::Tuple(tuple) if tuple.elems.is_empty() => "no data".to_owned(),
        Type::Path(path) if path.qself.is_none() => format!("[`{}`]", type_text(response)),
        _ => format!("`{}`", type_text(response)),
    }
}

/// A type as a person writes it (`Vec<Factor>`), rather than as tokens print (`Vec < Factor >`).
fn type_text(ty: &Type) -> String {
    let mut out = String::new();
    write_tokens(ty.to_token_stream(), &mut out);
    out
}

fn write_tokens(tokens: TokenStream, out: &mut String) {
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(group.stream(), out);
                out.push_str(close);
            }
            TokenTree::Punct(punct) => {
                out.push(punct.as_char());
                if matches!(punct.as_char(), ',' | ';') {
                    out.push(' ');
                }
            }
            word => {
                if out.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                    out.push(' '); // `dyn Trait`, `'a str`
                }
                out.push_str(&word.to_string());
            }
        }
    }
}

/// `Endpoint::write_parts` for the fields serde leaves out, or nothing when there are
/// none, so that the trait's default (writing nothing) applies.
fn write_parts(infos: &[FieldInfo], placements: &[Placement]) -> TokenStream {
    let calls: Vec<TokenStream> = infos
        .iter()
        .zip(placements)
        .filter_map(|(info, placement)| {
            let (method, name) = match placement {
                Placement::Serialized => return None,
                Placement::Path => ("path_param", &info.name),
                Placement::Header(name) => ("header", name),
                Placement::Query(name) => ("query", name),
                Placement::Body(name) => ("body", name),
            };
            let method = format_ident!("{method}");
            let field = &info.ident;
            // Spanned on the field's type, so that a type serde cannot serialise is
            // reported on the user's field.
            Some(quote_spanned!(info.ty.span()=> parts.#method(#name, &self.#field)?;))
        })
        .collect();
    if calls.is_empty() {
        return TokenStream::new();
    }
    quote! {
        fn write_parts(
            &self,
            parts: &mut ::authing_core::RequestParts,
        ) -> ::core::result::Result<(), ::authing_core::Error> {
            #(#calls)*
            ::core::result::Result::Ok(())
        }
    }
}
