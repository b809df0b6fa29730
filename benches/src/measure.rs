//! Client CPU per call and calls per second, from the process's own resource usage.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::contenders::Contender;

/// What one measured run of calls cost.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// CPU time (user + system, every thread of this process) per call.
    pub cpu_per_call: Duration,
    /// Calls completed per second of wall time.
    pub calls_per_sec: f64,
}

/// This process's resource usage (`getrusage(RUSAGE_SELF)`): all threads, user and system.
fn usage() -> libc::rusage {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage only writes a `rusage` into the memory it is given, which is
    // valid and large enough; RUSAGE_SELF is always a valid `who`.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) };
    assert_eq!(rc, 0, "getrusage(RUSAGE_SELF) cannot fail");
    // SAFETY: zeroed memory is a valid `rusage` (plain integers), now filled in.
    unsafe { usage.assume_init() }
}

fn timeval(tv: libc::timeval) -> Duration {
    Duration::from_secs(tv.tv_sec.unsigned_abs()) + Duration::from_micros(tv.tv_usec.unsigned_abs())
}

/// CPU time this process has used so far.
pub fn cpu_time() -> Duration {
    let u = usage();
    timeval(u.ru_utime) + timeval(u.ru_stime)
}

/// The largest resident set this process has had, in KiB.
pub fn max_rss_kib() -> u64 {
    usage().ru_maxrss.unsigned_abs()
}

/// Makes `calls` calls through `contender` from `concurrency` tasks at once, and
/// measures the process's CPU time and the wall time they took.
///
/// # Errors
/// The first failed call: a benchmark of failing calls would measure nothing useful.
pub async fn run(
    contender: &Arc<Contender>,
    concurrency: usize,
    calls: usize,
) -> Result<Sample, String> {
    let next = Arc::new(AtomicUsize::new(0));
    let cpu = cpu_time();
    let wall = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (contender, next) = (contender.clone(), next.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    contender.call().await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    let wall = wall.elapsed();
    let cpu = cpu_time() - cpu;
    Ok(Sample {
        cpu_per_call: cpu / calls.max(1) as u32,
        calls_per_sec: calls as f64 / wall.as_secs_f64(),
    })
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&mut []).is_nan());
    }

    #[test]
    fn cpu_time_grows_with_work() {
        let before = cpu_time();
        let mut x = 0u64;
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(30) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        assert!(cpu_time() > before, "{x}");
    }
}
