//! Reading and checking a migration file before anything is sent.

use std::collections::HashMap;
use std::fmt;
use std::io;

use authing_core::Secret;

use super::{OtpRow, Rejected};
use crate::validate_secret;

/// What [`read_csv`] found: the rows to import, in file order, and the rows refused.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Plan {
    /// Rows that passed every check.
    pub rows: Vec<OtpRow>,
    /// Rows that did not, in file order.
    pub rejected: Vec<Rejected>,
}

impl Plan {
    /// How many data rows the file has.
    ///
    /// ```
    /// let plan = authing_mfa::migrate::read_csv("userId,secret\nu1,\n".as_bytes()).unwrap();
    /// assert_eq!(plan.total(), 1);
    /// ```
    pub fn total(&self) -> usize {
        self.rows.len() + self.rejected.len()
    }
}

/// Why a whole file cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum FileError {
    /// The file could not be read.
    Io(io::Error),
    /// The first line is not a header with the columns needed.
    Header(String),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "could not read the file: {e}"),
            Self::Header(why) => write!(
                f,
                "{why}; the first line must be the header `userId,secret,recoveryCode`"
            ),
        }
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Header(_) => None,
        }
    }
}

/// Where each column is.
struct Columns {
    user_id: usize,
    secret: usize,
    recovery_code: Option<usize>,
}

impl Columns {
    fn find(header: &csv::StringRecord) -> Result<Self, FileError> {
        let position = |name: &str| header.iter().position(|h| h.trim() == name);
        let required = |name: &str| {
            position(name).ok_or_else(|| FileError::Header(format!("no `{name}` column")))
        };
        Ok(Self {
            user_id: required("userId")?,
            secret: required("secret")?,
            recovery_code: position("recoveryCode"),
        })
    }
}

/// Reads a migration file and checks every row: a user id, a base32 secret (see
/// [`validate_secret`]), no user twice. A row the CSV reader cannot read (invalid UTF-8,
/// unbalanced quotes) is refused with its line; only a missing header or an I/O error
/// fails the whole file.
///
/// ```
/// let file = "userId,secret\nu1,HZ2F6J3AGNAVSOTV\nu1,JBSWY3DPEHPK3PXP\n,HZ2F6J3AGNAVSOTV\n";
/// let plan = authing_mfa::migrate::read_csv(file.as_bytes()).unwrap();
/// assert!(plan.rows.is_empty());
/// let lines: Vec<usize> = plan.rejected.iter().map(|r| r.line).collect();
/// assert_eq!(lines, [2, 3, 4]);
/// ```
///
/// # Errors
/// [`FileError`] when the file cannot be read or its header lacks `userId` or `secret`.
pub fn read_csv(reader: impl io::Read) -> Result<Plan, FileError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let header = csv.headers().map_err(|e| header_error(&e))?.clone();
    let columns = Columns::find(&header)?;
    let mut plan = Plan::default();
    let mut record = csv::StringRecord::new();
    let mut line = 1;
    loop {
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                line = record.position().map_or(line + 1, |p| p.line() as usize);
                match check_row(&record, &columns, line) {
                    Ok(row) => plan.rows.push(row),
                    Err(rejected) => plan.rejected.push(rejected),
                }
            }
            Err(e) => {
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(FileError::Io(io::Error::other(e.to_string())));
                }
                line = e.position().map_or(line + 1, |p| p.line() as usize);
                plan.rejected
                    .push(Rejected::new(line, None, unreadable(&e)));
            }
        }
    }
    refuse_duplicates(&mut plan);
    Ok(plan)
}

fn header_error(error: &csv::Error) -> FileError {
    match error.kind() {
        csv::ErrorKind::Io(e) => FileError::Io(io::Error::new(e.kind(), e.to_string())),
        _ => FileError::Header("the header cannot be read as CSV text".into()),
    }
}

/// Why the CSV reader could not read a row, in words that quote nothing of it.
fn unreadable(error: &csv::Error) -> &'static str {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "the row is not valid UTF-8 text",
        _ => "the row cannot be read as CSV",
    }
}

fn check_row(
    record: &csv::StringRecord,
    columns: &Columns,
    line: usize,
) -> Result<OtpRow, Rejected> {
    let field = |index: usize| record.get(index).unwrap_or("");
    let user_id = field(columns.user_id);
    if user_id.is_empty() {
        return Err(Rejected::new(line, None, "no userId"));
    }
    // Not echoed: a user id with such characters is most likely a quote left open,
    // which swallows the rest of the file, secrets and all, into one field.
    if !user_id
        .bytes()
        .all(|b| b.is_ascii_graphic() && b != b',' && b != b'"')
    {
        return Err(Rejected::new(
            line,
            None,
            "the userId has a comma, quote, space or non-ASCII character: is a quote left open?",
        ));
    }
    let user = || Some(user_id.to_owned());
    if record.len() > columns_needed(columns) {
        return Err(Rejected::new(
            line,
            user(),
            format!(
                "{} fields where the header has {}: a comma too many, or a value that needs quotes",
                record.len(),
                columns_needed(columns)
            ),
        ));
    }
    let secret = validate_secret(field(columns.secret))
        .map_err(|e| Rejected::new(line, user(), e.to_string()))?;
    let recovery_code = columns
        .recovery_code
        .map(field)
        .filter(|code| !code.is_empty())
        .map(Secret::from);
    Ok(OtpRow {
        line,
        user_id: user_id.to_owned(),
        secret,
        recovery_code,
    })
}

fn columns_needed(columns: &Columns) -> usize {
    let last = columns.recovery_code.unwrap_or(0);
    columns.user_id.max(columns.secret).max(last) + 1
}

/// Moves every row of a user who is on more than one row to the rejected ones, naming
/// the other lines: which of the secrets is right cannot be known.
fn refuse_duplicates(plan: &mut Plan) {
    let mut lines_of: HashMap<&str, Vec<usize>> = HashMap::new();
    let everyone = plan
        .rows
        .iter()
        .map(|r| (r.user_id.as_str(), r.line))
        .chain(
            plan.rejected
                .iter()
                .filter_map(|r| Some((r.user_id.as_deref()?, r.line))),
        );
    for (user, line) in everyone {
        lines_of.entry(user).or_default().push(line);
    }
    let twice: HashMap<String, Vec<usize>> = lines_of
        .into_iter()
        .filter(|(_, lines)| lines.len() > 1)
        .map(|(user, mut lines)| {
            lines.sort_unstable();
            (user.to_owned(), lines)
        })
        .collect();
    if twice.is_empty() {
        return;
    }
    let (dups, keep): (Vec<OtpRow>, Vec<OtpRow>) = std::mem::take(&mut plan.rows)
        .into_iter()
        .partition(|row| twice.contains_key(&row.user_id));
    plan.rows = keep;
    for row in dups {
        let others: Vec<String> = twice[&row.user_id]
            .iter()
            .filter(|&&l| l != row.line)
            .map(usize::to_string)
            .collect();
        let reason = format!(
            "the user is also on line {}: keep one row per user",
            others.join(", ")
        );
        plan.rejected
            .push(Rejected::new(row.line, Some(row.user_id), reason));
    }
    plan.rejected.sort_by_key(|r| r.line);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Plan {
        read_csv(text.as_bytes()).unwrap()
    }

    #[test]
    fn columns_may_come_in_any_order_and_recovery_codes_are_optional() {
        let p = plan("secret,recoveryCode,userId\nHZ2F6J3AGNAVSOTV,r-1,u1\nJBSWY3DPEHPK3PXP,,u2\n");
        assert_eq!(p.rows.len(), 2);
        assert_eq!(p.rows[0].recovery_code.as_ref().unwrap().expose(), "r-1");
        assert!(p.rows[1].recovery_code.is_none());
    }

    #[test]
    fn a_header_without_the_needed_columns_fails_the_file() {
        let err = read_csv("user,secret\nu1,HZ2F6J3AGNAVSOTV\n".as_bytes()).unwrap_err();
        assert!(err.to_string().contains("no `userId` column"), "{err}");
    }

    #[test]
    fn bad_rows_are_reported_by_line_without_their_secret() {
        let p = plan(concat!(
            "userId,secret,recoveryCode\n",
            "u1,HZ2F6J3AGNAVSOTV,\n",
            "u2,HZ2F6J3AGNAVSOT!,\n",
            "u3,HZ2F6J3AGNAVSOTV,r,extra\n",
            "\"u4,HZ2F6J3AGNAVSOTV\n",
        ));
        assert_eq!(p.rows.len(), 1);
        let lines: Vec<usize> = p.rejected.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 4, 5]);
        assert!(p.rejected[0].reason.contains("not base32"));
        assert!(p.rejected[1].reason.contains("4 fields"));
        assert!(p.rejected[2].reason.contains("quote left open"));
        for r in &p.rejected {
            assert!(!r.to_string().contains("HZ2F6J3AGNAVSOT"), "{r}");
        }
    }

    #[test]
    fn every_row_of_a_user_on_two_rows_is_refused_naming_the_other() {
        let p =
            plan("userId,secret\nu1,HZ2F6J3AGNAVSOTV\nu2,HZ2F6J3AGNAVSOTV\nu1,HZ2F6J3AGNAVS0TV\n");
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].user_id, "u2");
        assert_eq!(p.rejected[0].line, 2);
        assert!(
            p.rejected[0].reason.contains("also on line 4"),
            "{}",
            p.rejected[0]
        );
        assert_eq!(p.rejected[1].line, 4);
    }
}
