//! The report a migration ends with.

use std::fmt;

use super::{ImportOutcome, Plan, Rejected};

/// Everything a migration run did, as the `migrate-otp` example prints it at the end:
/// counts, then every row not imported with its line and reason. It holds no secret.
///
/// ```
/// use authing_mfa::migrate::{Summary, read_csv};
/// let plan = read_csv("userId,secret\nu1,HZ2F6J3AGNAVSOTV\nu2,\n".as_bytes()).unwrap();
/// let summary = Summary::dry_run(&plan, 100);
/// let text = summary.to_string();
/// assert!(text.contains("dry run: 1 of 2 rows would be imported in 1 batch"), "{text}");
/// assert!(text.contains("line 3 (user u2): the OTP secret is empty"));
/// assert!(!summary.is_clean());
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Summary {
    /// Data rows in the file.
    pub total: usize,
    /// Rows imported (or, in a dry run, that would be).
    pub imported: usize,
    /// Rows refused, by the checks or by Authing, in line order.
    pub rejected: Vec<Rejected>,
    /// When the import stopped early: why, and the lines not attempted.
    pub stopped: Option<(String, Vec<usize>)>,
    /// `Some(batches)` for a dry run: nothing was sent.
    pub dry_run: Option<usize>,
}

impl Summary {
    /// The summary of a dry run: what the checks found, and how many batches of
    /// `batch_size` the good rows would take.
    pub fn dry_run(plan: &Plan, batch_size: usize) -> Self {
        Self {
            total: plan.total(),
            imported: plan.rows.len(),
            rejected: plan.rejected.clone(),
            stopped: None,
            dry_run: Some(plan.rows.len().div_ceil(batch_size.max(1))),
        }
    }

    /// The summary of an import of `plan`'s rows.
    ///
    /// ```
    /// use authing_mfa::migrate::{ImportOutcome, Summary, read_csv};
    /// let plan = read_csv("userId,secret\n,HZ2F6J3AGNAVSOTV\n".as_bytes()).unwrap();
    /// let summary = Summary::of_import(&plan, ImportOutcome::default());
    /// assert_eq!((summary.total, summary.imported, summary.rejected.len()), (1, 0, 1));
    /// ```
    pub fn of_import(plan: &Plan, outcome: ImportOutcome) -> Self {
        let mut rejected = plan.rejected.clone();
        rejected.extend(outcome.rejected);
        rejected.sort_by_key(|r| r.line);
        Self {
            total: plan.total(),
            imported: outcome.imported.len(),
            rejected,
            stopped: outcome.stopped,
            dry_run: None,
        }
    }

    /// Whether every row was (or would be) imported: what decides the exit status.
    ///
    /// ```
    /// use authing_mfa::migrate::{Summary, read_csv};
    /// let plan = read_csv("userId,secret\nu1,HZ2F6J3AGNAVSOTV\n".as_bytes()).unwrap();
    /// assert!(Summary::dry_run(&plan, 100).is_clean());
    /// ```
    pub fn is_clean(&self) -> bool {
        self.rejected.is_empty() && self.stopped.is_none()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.dry_run {
            Some(batches) => writeln!(
                f,
                "dry run: {} of {} rows would be imported in {batches} batch{}; nothing was sent",
                self.imported,
                self.total,
                if batches == 1 { "" } else { "es" }
            )?,
            None => writeln!(f, "imported {} of {} rows", self.imported, self.total)?,
        }
        if !self.rejected.is_empty() {
            writeln!(f, "rejected {} rows:", self.rejected.len())?;
            for rejected in &self.rejected {
                writeln!(f, "  {rejected}")?;
            }
        }
        if let Some((why, lines)) = &self.stopped {
            writeln!(
                f,
                "stopped early: {why}\n  {} rows not attempted, from line {}; running again is safe",
                lines.len(),
                lines
                    .first()
                    .map_or_else(|| "-".to_owned(), usize::to_string)
            )?;
        }
        Ok(())
    }
}
