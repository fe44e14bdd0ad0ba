//! Waits and sizes in words, for messages people read.

/// A wait in words for a message: "8 seconds", "1 minute", "15 minutes".
pub fn wait_in_words(seconds: u64) -> String {
    let (n, unit) = if seconds < 60 { (seconds.max(1), "second") } else { (seconds.div_ceil(60), "minute") };
    format!("{n} {unit}{}", if n == 1 { "" } else { "s" })
}

/// A size in words, rounded up (a size over a limit never reads as the limit): "8 MB", "3.1 MB",
/// "65 KB".
pub fn bytes_in_words(bytes: usize) -> String {
    const MB: usize = 1024 * 1024;
    if bytes < MB {
        return format!("{} KB", bytes.div_ceil(1024));
    }
    let tenths = (bytes * 10).div_ceil(MB);
    match tenths % 10 {
        0 => format!("{} MB", tenths / 10),
        t => format!("{}.{t} MB", tenths / 10),
    }
}
