use authing_core::endpoint;

// Lifetimes are fine; type and const parameters are not.
#[endpoint(POST, "/api/v3/import-otp", response = ())]
pub struct ImportOtp<'a, T, const N: usize> {
    pub list: &'a [T; N],
}

fn main() {}
