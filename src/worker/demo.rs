//! The demo reports bundled into the app: real reports from public projects (MIT and
//! Apache-2.0, see samples/), chosen to show healthy domains and failing ones. They live in
//! the worker, which reads them, so the page's own code stays small.

macro_rules! sample {
    ($path:literal) => {
        (
            $path,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/", $path)) as &[u8],
        )
    };
}

const DEMO_REPORTS: [(&str, &[u8]); 12] = [
    sample!("real/phi-ag-mta-sts-exporter/google.json"),
    sample!("real/phi-ag-mta-sts-exporter/microsoft.json"),
    sample!("real/phi-ag-mta-sts-exporter/microsoft-2.json"),
    sample!("real/parsedmarc/mail.ru.json"),
    sample!("real/parsedmarc/smtp_tls.json"),
    sample!("real/parsedmarc/rfc8460.json"),
    sample!("real/cry-inc-dmarc-report-viewer/microsoft.json"),
    sample!("real/cry-inc-dmarc-report-viewer/google.json"),
    sample!("real/cry-inc-dmarc-report-viewer/no-policy.json"),
    sample!("real/cry-inc-dmarc-report-viewer/no_ip_and_mx.json"),
    sample!("real/isseis-tlsrpt-digest/tlsrpt_success_google_1.eml"),
    sample!("attachments/parsedmarc/google.com_smtp_tls_report.json.gz"),
];

/// (name, bytes) of each demo report, named as the Inputs view shows them.
pub fn demo_files() -> Vec<(String, &'static [u8])> {
    DEMO_REPORTS
        .iter()
        .map(|(path, bytes)| (format!("demo/{path}"), *bytes))
        .collect()
}
