//! The `#[endpoint]` attribute (being written).
use proc_macro::TokenStream;

/// Declares an Authing endpoint.
#[proc_macro_attribute]
pub fn endpoint(_attr: TokenStream, item: TokenStream) -> TokenStream {
    item
}
