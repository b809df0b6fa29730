//! Parses the arguments of `#[endpoint(...)]` on the struct: the method and the path, then
//! `key = value` pairs and flags.
//!
//! Parsing goes on after a mistake wherever the next `,` can be found, so that one build
//! reports every mistake in the attribute. Only a broken type after `response =` or a
//! missing `,` stops it, because past those the next entry cannot be found reliably.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token, Type};

use crate::errors::Errors;
use crate::suggest::{closest, did_you_mean};

/// What a well-formed attribute looks like, for messages about a malformed one.
const USAGE: &str = "#[endpoint(GET, \"/api/v3/get-user\", response = User)]";

/// The `key = value` keys and the flags, for suggestions.
const KEYS: [&str; 7] = [
    "response",
    "side",
    "body",
    "answer",
    "auth",
    "idempotent",
    "sensitive",
];

/// The keys, as the messages about an unknown one list them.
const KEYS_LISTED: &str =
    "`response`, `side`, `body`, `answer`, `auth`, `idempotent` and `sensitive`";

/// A key whose value is one of a few bare words.
struct Choice {
    key: &'static str,
    /// What the value is called in messages.
    noun: &'static str,
    values: &'static [&'static str],
    /// The values as messages list them, the default named.
    expected: &'static str,
}

const SIDE: Choice = Choice {
    key: "side",
    noun: "side",
    values: &["management", "authentication"],
    expected: "`management` (the default) or `authentication`",
};

const BODY: Choice = Choice {
    key: "body",
    noun: "body encoding",
    values: &["json", "form"],
    expected: "`json` (the default) or `form`",
};

const ANSWER: Choice = Choice {
    key: "answer",
    noun: "answer format",
    values: &["envelope", "plain"],
    expected: "`envelope` (the default) or `plain`",
};

const AUTH: Choice = Choice {
    key: "auth",
    noun: "auth",
    values: &["client", "bearer", "none"],
    expected: "`client`, `bearer` or `none` (leave `auth` out for the side's own credentials)",
};

/// The methods Authing's V3 API uses, as `authing_core::Method` has them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    const ALL: [HttpMethod; 5] = [Self::Get, Self::Post, Self::Put, Self::Patch, Self::Delete];

    /// The name as written in the attribute and on the wire.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The matching variant of `authing_core::Method`.
    pub(crate) fn variant(self) -> &'static str {
        match self {
            Self::Get => "Get",
            Self::Post => "Post",
            Self::Put => "Put",
            Self::Patch => "Patch",
            Self::Delete => "Delete",
        }
    }

    /// Mirrors `authing_core::Method::params_in_query`: only GET sends its fields as the
    /// query string, every other method as a JSON body.
    pub(crate) fn params_in_query(self) -> bool {
        self == Self::Get
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

/// Which client may send the endpoint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Side {
    #[default]
    Management,
    Authentication,
}

impl Side {
    /// The name written after `side =`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Management => "management",
            Self::Authentication => "authentication",
        }
    }

    /// The marker trait of authing_core that lets the side's client send the endpoint.
    pub(crate) fn marker_trait(self) -> &'static str {
        match self {
            Self::Management => "ManagementEndpoint",
            Self::Authentication => "AuthenticationEndpoint",
        }
    }
}

/// How the body is encoded: `body = json | form`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    #[default]
    Json,
    Form,
}

/// How a success is answered: `answer = envelope | plain`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum AnswerFormat {
    #[default]
    Envelope,
    Plain,
}

/// Who the request authenticates as: `auth = client | bearer | none`, else the side's own
/// credentials.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Auth {
    #[default]
    Caller,
    Client,
    Bearer,
    None,
}

/// The attribute's arguments as far as they could be read; what is missing or wrong has
/// been reported already.
#[derive(Default)]
pub(crate) struct Args {
    pub(crate) method: Option<HttpMethod>,
    pub(crate) path: Option<LitStr>,
    pub(crate) response: Option<Type>,
    pub(crate) side: Side,
    pub(crate) body: BodyFormat,
    pub(crate) answer: AnswerFormat,
    pub(crate) auth: Auth,
    pub(crate) idempotent: bool,
    pub(crate) sensitive: bool,
    /// The values given for `body` and `auth`, for messages about combinations.
    pub(crate) body_given: Option<Ident>,
    pub(crate) auth_given: Option<Ident>,
}

impl Args {
    /// Reports options that cannot go together; each alone was checked while parsing.
    pub(crate) fn check_combinations(&self, errors: &mut Errors) {
        if let (Some(form), Some(HttpMethod::Get), BodyFormat::Form) =
            (&self.body_given, self.method, self.body)
        {
            errors.spanned(
                form,
                "a GET sends its fields as the query string and has no body, so \
                 `body = form` cannot apply: use POST (or PUT, PATCH, DELETE), or leave \
                 `body` out",
            );
        }
        if let (Some(given), Side::Management) = (&self.auth_given, self.side) {
            let why = match self.auth {
                Auth::Client => "authenticates the application with its client secret",
                Auth::Bearer => "carries a signed-in user's access token",
                Auth::Caller | Auth::None => return,
            };
            errors.spanned(
                given,
                format!(
                    "`auth = {given}` {why}, which only an authentication client holds: add \
                     `side = authentication`"
                ),
            );
        }
    }
}

/// Reads the attribute's arguments, recording every mistake in `errors`.
pub(crate) fn parse(attr: TokenStream, errors: &mut Errors) -> Args {
    if attr.is_empty() {
        errors.at(
            Span::call_site(),
            format!("#[endpoint] needs the method, the path and the response type: `{USAGE}`"),
        );
        return Args::default();
    }
    let mut state = State {
        args: Args::default(),
        seen: Vec::new(),
        response_misspelt: false,
        errors,
    };
    let parser = |input: ParseStream| state.parse_all(input);
    match parser.parse2(attr) {
        // A misspelt `response` was reported already, with the right spelling.
        Ok(()) if !state.seen.contains(&"response") && !state.response_misspelt => state.errors.at(
            Span::call_site(),
            "missing `response = ...`: name the type of the answer's `data`, like \
             `response = User` (`response = ()` when it answers no data)",
        ),
        Ok(()) => {}
        Err(e) => state.errors.push(e),
    }
    state.args
}

struct State<'e> {
    args: Args,
    /// Keys given so far, to report one given twice.
    seen: Vec<&'static str>,
    /// An unknown key was reported with "did you mean `response`?".
    response_misspelt: bool,
    errors: &'e mut Errors,
}

impl State<'_> {
    fn parse_all(&mut self, input: ParseStream) -> syn::Result<()> {
        self.parse_positional(input)?;
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break; // a trailing comma
            }
            self.parse_entry(input)?;
        }
        Ok(())
    }

    /// The method and the path, which come first and without keys.
    fn parse_positional(&mut self, input: ParseStream) -> syn::Result<()> {
        if looks_like_key(input) {
            self.errors.at(
                input.span(),
                format!("the method and the path come first, without keys: `{USAGE}`"),
            );
            return Ok(());
        }
        let method_span = input.span();
        self.args.method = self.parse_method(input)?;
        if !input.is_empty() {
            input.parse::<Token![,]>()?;
        }
        if input.is_empty() || looks_like_key(input) {
            let span = if input.is_empty() {
                method_span
            } else {
                input.span()
            };
            self.errors.at(
                span,
                "the path is missing: give it after the method as a string literal, \
                 like \"/api/v3/get-user\"",
            );
            return Ok(());
        }
        self.args.path = self.parse_path(input)?;
        Ok(())
    }

    fn parse_method(&mut self, input: ParseStream) -> syn::Result<Option<HttpMethod>> {
        const EXPECTED: &str = "one of `GET`, `POST`, `PUT`, `PATCH` or `DELETE`";
        if input.peek(LitStr) {
            return self.quoted_method(input);
        }
        if !input.peek(Ident::peek_any) {
            let skipped = skip_to_comma(input)?;
            self.errors.spanned(
                skipped,
                format!("expected the HTTP method first: {EXPECTED}"),
            );
            return Ok(None);
        }
        let ident = Ident::parse_any(input)?;
        let name = ident.unraw().to_string();
        let upper = name.to_ascii_uppercase();
        match (HttpMethod::from_name(&name), HttpMethod::from_name(&upper)) {
            (Some(method), _) => return Ok(Some(method)),
            (None, Some(_)) => self.errors.spanned(
                &ident,
                format!(
                    "unknown method `{name}`: methods are written in uppercase, write `{upper}`"
                ),
            ),
            (None, None) => {
                let names = HttpMethod::ALL.map(HttpMethod::as_str);
                self.errors.spanned(
                    &ident,
                    format!(
                        "unknown method `{name}`: expected {EXPECTED}{}",
                        did_you_mean(&upper, names)
                    ),
                );
            }
        }
        Ok(None)
    }

    /// `"POST"` for `POST`: reported, and read as meant.
    fn quoted_method(&mut self, input: ParseStream) -> syn::Result<Option<HttpMethod>> {
        let lit: LitStr = input.parse()?;
        let upper = lit.value().to_ascii_uppercase();
        self.errors.spanned(
            &lit,
            format!(
                "the method is a bare identifier, not a string: write `{upper}` without quotes"
            ),
        );
        Ok(HttpMethod::from_name(&upper))
    }

    fn parse_path(&mut self, input: ParseStream) -> syn::Result<Option<LitStr>> {
        if input.peek(LitStr) {
            return input.parse().map(Some);
        }
        let skipped = skip_to_comma(input)?;
        self.errors.spanned(
            skipped,
            "the path must be a string literal, like \"/api/v3/get-user\": \
             a macro cannot read the value of a constant or an expression",
        );
        Ok(None)
    }

    /// One `key = value` or flag.
    fn parse_entry(&mut self, input: ParseStream) -> syn::Result<()> {
        if !input.peek(Ident::peek_any) {
            let span = input.span();
            let skipped = skip_to_comma(input)?;
            let message = "expected a key: `response = ...`, `side = ...`, `body = ...`, \
                           `answer = ...`, `auth = ...`, `idempotent` or `sensitive`";
            match skipped.is_empty() {
                true => self.errors.at(span, message),
                false => self.errors.spanned(skipped, message),
            }
            return Ok(());
        }
        let key = Ident::parse_any(input)?;
        let name = key.unraw().to_string();
        let Some(known) = KEYS.into_iter().find(|k| *k == name) else {
            return self.unknown_key(input, &key, &name);
        };
        if self.seen.contains(&known) {
            self.errors
                .spanned(&key, format!("`{known}` is given twice: keep one"));
            skip_to_comma(input)?;
            return Ok(());
        }
        self.seen.push(known);
        match known {
            "response" => self.parse_response(input, &key),
            "side" => {
                if let Some((i, _)) = self.parse_choice(input, &key, &SIDE)? {
                    self.args.side = [Side::Management, Side::Authentication][i];
                }
                Ok(())
            }
            "body" => {
                if let Some((i, value)) = self.parse_choice(input, &key, &BODY)? {
                    self.args.body = [BodyFormat::Json, BodyFormat::Form][i];
                    self.args.body_given = Some(value);
                }
                Ok(())
            }
            "answer" => {
                if let Some((i, _)) = self.parse_choice(input, &key, &ANSWER)? {
                    self.args.answer = [AnswerFormat::Envelope, AnswerFormat::Plain][i];
                }
                Ok(())
            }
            "auth" => {
                if let Some((i, value)) = self.parse_choice(input, &key, &AUTH)? {
                    self.args.auth = [Auth::Client, Auth::Bearer, Auth::None][i];
                    self.args.auth_given = Some(value);
                }
                Ok(())
            }
            _ => self.parse_flag(input, &key, known),
        }
    }

    fn unknown_key(&mut self, input: ParseStream, key: &Ident, name: &str) -> syn::Result<()> {
        let message = match name {
            "method" | "path" => {
                format!("the {name} is given first, without a key: `{USAGE}`")
            }
            _ => match closest(name, KEYS) {
                None => format!("unknown key `{name}`: the keys are {KEYS_LISTED}"),
                Some(key) => {
                    self.response_misspelt |= key == "response";
                    format!("unknown key `{name}`; did you mean `{key}`?")
                }
            },
        };
        self.errors.spanned(key, message);
        skip_to_comma(input)?;
        Ok(())
    }

    fn parse_response(&mut self, input: ParseStream, key: &Ident) -> syn::Result<()> {
        if !input.peek(Token![=]) {
            self.errors.spanned(
                key,
                "`response` needs the type of the answer's `data`: `response = User`, \
                 or `response = ()` when it answers no data",
            );
            skip_to_comma(input)?;
            return Ok(());
        }
        input.parse::<Token![=]>()?;
        match input.parse::<Type>() {
            Ok(ty) => self.args.response = Some(ty),
            Err(e) => {
                self.errors.at(
                    e.span(),
                    "expected a type after `response =`, like `User`, `Vec<Factor>` or `()`",
                );
                skip_to_comma(input)?;
            }
        }
        Ok(())
    }

    /// `key = word` for a key of `choice`: the index of the word among its values and
    /// the word itself, or `None` after reporting what is wrong.
    fn parse_choice(
        &mut self,
        input: ParseStream,
        key: &Ident,
        choice: &Choice,
    ) -> syn::Result<Option<(usize, Ident)>> {
        let Choice {
            key: name,
            noun,
            values,
            expected,
        } = choice;
        if !input.peek(Token![=]) {
            self.errors.spanned(
                key,
                format!("`{name}` needs a value: `{name} = ` {expected}"),
            );
            skip_to_comma(input)?;
            return Ok(None);
        }
        input.parse::<Token![=]>()?;
        if !input.peek(Ident::peek_any) {
            let span = input.span();
            let skipped = skip_to_comma(input)?;
            let message = format!("expected {expected}, without quotes");
            match skipped.is_empty() {
                true => self.errors.at(span, message),
                false => self.errors.spanned(skipped, message),
            }
            return Ok(None);
        }
        let value = Ident::parse_any(input)?;
        let word = value.unraw().to_string();
        match values.iter().position(|v| *v == word) {
            Some(i) => Ok(Some((i, value))),
            None => {
                let hint = did_you_mean(&word, values.iter().copied());
                self.errors.spanned(
                    &value,
                    format!("unknown {noun} `{word}`: expected {expected}{hint}"),
                );
                Ok(None)
            }
        }
    }

    fn parse_flag(&mut self, input: ParseStream, key: &Ident, name: &str) -> syn::Result<()> {
        if input.is_empty() || input.peek(Token![,]) {
            match name {
                "idempotent" => self.args.idempotent = true,
                _ => self.args.sensitive = true,
            }
            return Ok(());
        }
        let value = skip_to_comma(input)?;
        self.errors.spanned(
            quote!(#key #value),
            format!("`{name}` is a flag and takes no value: write `{name}` alone, or leave it out"),
        );
        Ok(())
    }
}

/// Whether the next entry is `key = ...` or a known key, i.e. the method or path is missing.
fn looks_like_key(input: ParseStream) -> bool {
    let fork = input.fork();
    match Ident::parse_any(&fork) {
        Ok(ident) => fork.peek(Token![=]) || KEYS.contains(&ident.unraw().to_string().as_str()),
        Err(_) => false,
    }
}

/// Skips to the next top-level `,` (not consuming it) and returns what was skipped.
/// Commas between angle brackets belong to a type (`HashMap<K, V>`) and are skipped too.
pub(crate) fn skip_to_comma(input: ParseStream) -> syn::Result<TokenStream> {
    let mut skipped = TokenStream::new();
    let mut angle_depth = 0usize;
    loop {
        let at_comma = angle_depth == 0 && input.peek(Token![,]);
        if input.is_empty() || at_comma {
            break;
        }
        let token: TokenTree = input.parse()?;
        if let TokenTree::Punct(p) = &token {
            match p.as_char() {
                '<' => angle_depth += 1,
                '>' => angle_depth = angle_depth.saturating_sub(1),
                _ => {}
            }
        }
        skipped.extend([token]);
    }
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn parse_ok(attr: TokenStream) -> Args {
        let mut errors = Errors::default();
        let args = parse(attr, &mut errors);
        assert!(errors.is_empty(), "{:?}", errors.finish());
        args
    }

    fn messages(attr: TokenStream) -> Vec<String> {
        let mut errors = Errors::default();
        parse(attr, &mut errors);
        errors
            .finish()
            .err()
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn reads_every_key() {
        let args = parse_ok(
            quote!(PATCH, "/x", response = Vec<(u8, String)>, side = authentication, idempotent, sensitive,),
        );
        assert_eq!(args.method, Some(HttpMethod::Patch));
        assert_eq!(args.path.unwrap().value(), "/x");
        assert_eq!(args.side, Side::Authentication);
        assert!(args.idempotent && args.sensitive && args.response.is_some());
    }

    #[test]
    fn reads_body_answer_and_auth() {
        let args = parse_ok(quote!(
            POST,
            "/oidc/token",
            response = T,
            body = form,
            answer = plain,
            auth = client
        ));
        assert_eq!(args.body, BodyFormat::Form);
        assert_eq!(args.answer, AnswerFormat::Plain);
        assert_eq!(args.auth, Auth::Client);
        let args = parse_ok(quote!(GET, "/oidc/me", response = T, auth = none));
        assert_eq!(args.auth, Auth::None);
        let args = parse_ok(quote!(GET, "/oidc/me", response = T, auth = bearer));
        assert_eq!(args.auth, Auth::Bearer);
        assert_eq!(
            (args.body, args.answer),
            (BodyFormat::Json, AnswerFormat::Envelope)
        );
    }

    #[test]
    fn wrong_option_values_say_what_is_expected() {
        let found = messages(quote!(
            POST,
            "/x",
            response = (),
            body = xml,
            answer = "plain",
            auth,
            answr = plain
        ));
        assert_eq!(found.len(), 4, "{found:#?}");
        assert!(
            found[0]
                .contains("unknown body encoding `xml`: expected `json` (the default) or `form`"),
            "{}",
            found[0]
        );
        assert!(found[1].contains("without quotes"), "{}", found[1]);
        assert!(found[2].contains("`auth` needs a value"), "{}", found[2]);
        assert!(found[3].contains("did you mean `answer`?"), "{}", found[3]);
        let found = messages(quote!(POST, "/x", response = (), answer = plian));
        assert!(found[0].contains("did you mean `plain`?"), "{found:#?}");
    }

    #[test]
    fn reports_every_mistake_at_once() {
        let found = messages(quote!(
            post,
            "/x",
            response = (),
            respons = (),
            side = auth,
            idempotent = true,
            response = u8
        ));
        assert_eq!(found.len(), 5, "{found:#?}"); // no "missing `response`": it was misspelt
        assert!(found[0].contains("write `POST`"));
        assert!(found[1].contains("did you mean `response`?"));
        assert!(found[2].contains("did you mean `authentication`?"));
        assert!(found[3].contains("is a flag"));
        assert!(found[4].contains("given twice"));
    }

    #[test]
    fn skips_generic_commas_when_recovering() {
        let found = messages(quote!(GET, "/x", foo = HashMap<A, B>, response = ()));
        assert_eq!(found.len(), 1, "{found:#?}");
    }

    #[test]
    fn missing_parts() {
        assert!(messages(quote!()).join("").contains("needs the method"));
        assert!(
            messages(quote!(GET, "/x"))
                .join("")
                .contains("missing `response")
        );
        assert!(
            messages(quote!(GET, response = ()))
                .join("")
                .contains("the path is missing")
        );
        assert!(
            messages(quote!(response = ()))
                .join("")
                .contains("come first")
        );
        assert!(
            messages(quote!(GET, PATH, response = ()))
                .join("")
                .contains("string literal")
        );
    }
}
