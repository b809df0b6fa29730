//! The QR code of an `otpauth://` URI as a PNG data URL, as Authing's `qrCodeDataUrl`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use qrcode::{Color, QrCode};

/// Pixels per QR module: small, but scannable from a screen.
const SCALE: usize = 4;
/// Light modules around the code, the quiet zone the QR standard asks for.
const QUIET_ZONE: usize = 4;

/// `data:image/png;base64,…` of a QR code holding `text`.
pub(crate) fn png_data_url(text: &str) -> Result<String, String> {
    let code = QrCode::new(text.as_bytes()).map_err(|e| format!("QR encoding failed: {e}"))?;
    let png = encode_png(&code).map_err(|e| format!("PNG encoding failed: {e}"))?;
    Ok(format!("data:image/png;base64,{}", STANDARD.encode(png)))
}

fn encode_png(code: &QrCode) -> Result<Vec<u8>, png::EncodingError> {
    let side = (code.width() + 2 * QUIET_ZONE) * SCALE;
    let pixels = rasterise(code, side);
    // A QR code is at most 177 modules wide, so the side always fits.
    let side = u32::try_from(side).unwrap_or(u32::MAX);
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(png)
}

/// One grey byte per pixel, row by row: 0 for dark modules, 255 for light ones.
fn rasterise(code: &QrCode, side: usize) -> Vec<u8> {
    let width = code.width();
    let mut pixels = vec![255u8; side * side];
    for (index, color) in code.to_colors().into_iter().enumerate() {
        if color != Color::Dark {
            continue;
        }
        let left = (index % width + QUIET_ZONE) * SCALE;
        let top = (index / width + QUIET_ZONE) * SCALE;
        for row in top..top + SCALE {
            let start = row * side + left;
            if let Some(run) = pixels.get_mut(start..start + SCALE) {
                run.fill(0);
            }
        }
    }
    pixels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_url_holds_a_png() {
        let url = png_data_url("otpauth://totp/pool:user?secret=MY").unwrap_or_default();
        let encoded = url
            .strip_prefix("data:image/png;base64,")
            .unwrap_or_default();
        let png = STANDARD.decode(encoded).unwrap_or_default();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{url}");
    }
}
