//! Importing checked rows in batches, and narrowing a refused batch down to the rows
//! Authing refuses.

use std::collections::HashSet;

use authing_core::{Error, ManagementClient};

use super::{OtpRow, Rejected};
use crate::{ImportOtp, ImportOtpItem};

/// Rows per `import-otp` call unless told otherwise.
pub const DEFAULT_BATCH_SIZE: usize = 100;

/// Told how an import goes, e.g. to draw a progress bar. Every row is reported once,
/// as imported or rejected. `()` reports nothing.
///
/// ```
/// use authing_mfa::migrate::{Progress, Rejected};
/// #[derive(Default)]
/// struct Count(usize);
/// impl Progress for Count {
///     fn begin(&mut self, _rows: usize) {}
///     fn imported(&mut self, rows: usize) { self.0 += rows }
///     fn rejected(&mut self, _: &Rejected) { self.0 += 1 }
///     fn end(&mut self) {}
/// }
/// let mut count = Count::default();
/// count.imported(100);
/// assert_eq!(count.0, 100);
/// ```
pub trait Progress {
    /// `rows` rows are about to be imported.
    fn begin(&mut self, rows: usize);
    /// `rows` more rows were imported.
    fn imported(&mut self, rows: usize);
    /// A row was refused by Authing.
    fn rejected(&mut self, rejected: &Rejected);
    /// The import ended, finished or stopped.
    fn end(&mut self);
}

/// A [`Progress`] that reports nothing.
impl Progress for () {
    fn begin(&mut self, _: usize) {}
    fn imported(&mut self, _: usize) {}
    fn rejected(&mut self, _: &Rejected) {}
    fn end(&mut self) {}
}

/// What [`import`] did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct ImportOutcome {
    /// The lines of the rows imported.
    pub imported: Vec<usize>,
    /// The rows Authing refused, with its reason.
    pub rejected: Vec<Rejected>,
    /// When the import stopped early: why, and the lines of the rows not attempted.
    pub stopped: Option<(String, Vec<usize>)>,
}

/// Imports `rows` with `import-otp`, `batch_size` at a time (at least 1).
///
/// Each call goes through the client's retry rules (`import-otp` is declared
/// idempotent: importing the same secret twice leaves the user as once). A batch
/// Authing still refuses for what is in it (statusCode 400, 404, 409 or 422, such as a
/// user that does not exist) is split in halves and each half sent again, down to
/// single rows, so one bad row costs about `2·log2(batch_size)` extra calls and every
/// other row is still imported. Any other failure (credentials, throttling beyond the
/// retries, a network or server fault) stops the import: the rows not attempted are in
/// [`ImportOutcome::stopped`], and running it again is safe.
///
/// ```no_run
/// use authing_mfa::migrate::{import, read_csv};
/// # async fn run(client: authing_core::ManagementClient) -> Result<(), Box<dyn std::error::Error>> {
/// let plan = read_csv(std::fs::File::open("otp.csv")?)?;
/// let outcome = import(&client, &plan.rows, 100, &mut ()).await;
/// println!("{} imported, {} refused", outcome.imported.len(), outcome.rejected.len());
/// # Ok(())
/// # }
/// ```
pub async fn import(
    client: &ManagementClient,
    rows: &[OtpRow],
    batch_size: usize,
    progress: &mut dyn Progress,
) -> ImportOutcome {
    let mut outcome = ImportOutcome::default();
    progress.begin(rows.len());
    for (index, batch) in rows.chunks(batch_size.max(1)).enumerate() {
        if let Err(error) = import_batch(client, batch, &mut outcome, progress).await {
            // Rows of the failed batch that were narrowed down already are settled.
            let settled: HashSet<usize> = outcome
                .imported
                .iter()
                .copied()
                .chain(outcome.rejected.iter().map(|r| r.line))
                .collect();
            let left = rows[index * batch_size.max(1)..]
                .iter()
                .map(|row| row.line)
                .filter(|line| !settled.contains(line))
                .collect();
            outcome.stopped = Some((error.to_string(), left));
            break;
        }
    }
    progress.end();
    outcome.rejected.sort_by_key(|r| r.line);
    outcome
}

/// Sends one batch, narrowing it while Authing refuses its content. Halves wait on a
/// stack rather than in recursion, so no future is boxed.
async fn import_batch(
    client: &ManagementClient,
    batch: &[OtpRow],
    outcome: &mut ImportOutcome,
    progress: &mut dyn Progress,
) -> Result<(), Error> {
    let mut pending = vec![batch];
    while let Some(chunk) = pending.pop() {
        match client.send(&request(chunk)).await {
            Ok(()) => {
                outcome.imported.extend(chunk.iter().map(|row| row.line));
                progress.imported(chunk.len());
            }
            Err(error) if !refuses_content(&error) => return Err(error),
            Err(error) if chunk.len() == 1 => {
                let rejected = refusal(&chunk[0], &error);
                progress.rejected(&rejected);
                outcome.rejected.push(rejected);
            }
            Err(_) => {
                let (first, second) = chunk.split_at(chunk.len() / 2);
                pending.push(second);
                pending.push(first);
            }
        }
    }
    Ok(())
}

fn request(rows: &[OtpRow]) -> ImportOtp {
    ImportOtp::new(
        rows.iter()
            .map(|row| {
                let item = ImportOtpItem::new(row.user_id.clone(), row.secret.clone());
                match &row.recovery_code {
                    Some(code) => item.with_recovery_code(code.clone()),
                    None => item,
                }
            })
            .collect(),
    )
}

/// Whether Authing refused what the batch holds rather than the call as such: only
/// then can a smaller batch fare better.
fn refuses_content(error: &Error) -> bool {
    matches!(error, Error::Api(api) if matches!(api.status_code, 400 | 404 | 409 | 422))
}

/// The rejection of `row` for `error`. Authing's message cannot quote the row's secret:
/// the transport scrubs every `Secret` a request carried from what comes back.
fn refusal(row: &OtpRow, error: &Error) -> Rejected {
    let Some(api) = error.api() else {
        return Rejected::new(row.line, Some(row.user_id.clone()), error.to_string());
    };
    let message = &api.message;
    let code = api
        .api_code
        .map_or_else(String::new, |c| format!(", apiCode {c}"));
    let reason = format!(
        "Authing refused it: {message} (statusCode {}{code})",
        api.status_code
    );
    Rejected::new(row.line, Some(row.user_id.clone()), reason)
}
