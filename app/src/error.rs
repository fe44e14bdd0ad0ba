//! The one error type of every server function.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::org::people_types::CsvRowError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("Please sign in to continue.")]
    Unauthenticated,
    #[error("You do not have access to this.")]
    Forbidden,
    #[error("{0} was not found.")]
    NotFound(String),
    #[error("Some fields need attention.")]
    Invalid(Vec<FieldError>),
    #[error("The file was not imported: {} problem(s) found. Nothing was changed.", .0.len())]
    CsvRejected(Vec<CsvRowError>),
    /// The same answer for an unknown email and a wrong password.
    #[error("Email or password is incorrect.")]
    SignInFailed,
    #[error("Too many failed sign-ins. Try again in {}.", crate::words::wait_in_words(*retry_after_secs))]
    TooManyAttempts { retry_after_secs: u64 },
    /// A person's devices pushed more changes in a short time than the sync quota allows.
    #[error("Many changes were sent in the last minute: yours are kept on this device and sent in {}.", crate::words::wait_in_words(*retry_after_secs))]
    TooManyChanges { retry_after_secs: u64 },
    /// A request body over `limits::BODY_BYTES`.
    #[error("This is too large to send: the limit is {}.", crate::words::bytes_in_words(*limit_bytes))]
    TooLarge { limit_bytes: usize },
    /// Details are in the server log, never sent to the browser.
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("Could not reach the server: {0}")]
    Transport(String),
}

/// A rule's refusal of one field.
impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

impl AppError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, message)])
    }

    /// The message for one form field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(errors) => {
                errors.iter().find(|e| e.field == field).map(|e| e.message.clone())
            }
            _ => None,
        }
    }

    /// How long to wait before trying again, for a refusal that passes.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::TooManyAttempts { retry_after_secs } | AppError::TooManyChanges { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    #[cfg(feature = "ssr")]
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated | AppError::SignInFailed => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) | AppError::CsvRejected(_) | AppError::Transport(_) => 422,
            AppError::TooLarge { .. } => 413,
            AppError::TooManyAttempts { .. } | AppError::TooManyChanges { .. } => 429,
            AppError::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }

    /// Encodes the error for the browser; on the server this is also where the HTTP status is
    /// set from the error, so API clients see 401/403/404/422/429.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        set_status(self);
        <JsonEncoding as leptos::server_fn::Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(br#""Internal""#))
    }
}

/// Sets the status of the response being built (a server function's or a page's) to the error's,
/// with `Retry-After` when waiting helps.
#[cfg(feature = "ssr")]
pub(crate) fn set_status(error: &AppError) {
    use leptos::prelude::use_context;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
            response.set_status(status);
        }
        if let Some(seconds) = error.retry_after_secs() {
            response.insert_header(axum::http::header::RETRY_AFTER, seconds.into());
        }
    }
}

#[cfg(feature = "ssr")]
impl From<surrealdb::Error> for AppError {
    fn from(error: surrealdb::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// A message about one input field of a form, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self { field: field.to_owned(), message: message.into() }
    }
}

/// A browser's request header asking for refusals (4xx) as 200 answers that carry their status in
/// [`REFUSAL_STATUS`]: the browser logs every 4xx as "Failed to load resource", though a refused
/// form is an answer, not a failure. Other clients (the API, tests) see the real status.
pub const REFUSALS_IN_BODY: &str = "x-refusals-in-body";
/// The status of a refusal sent as a 200 answer.
pub const REFUSAL_STATUS: &str = "x-refusal-status";

/// How the app's own pages call server functions: as the browser's `fetch`, asking for refusals in
/// the body and reading their status back, so the error decodes as if sent with it.
#[cfg(feature = "hydrate")]
pub type Api = in_browser::RefusalsInBody;
#[cfg(not(feature = "hydrate"))]
pub type Api = leptos::server_fn::client::browser::BrowserClient;

#[cfg(feature = "hydrate")]
mod in_browser {
    use futures::{Future, Sink, Stream};
    use leptos::server_fn::client::browser::BrowserClient;
    use leptos::server_fn::client::Client;
    use leptos::server_fn::request::browser::BrowserRequest;
    use leptos::server_fn::response::browser::BrowserResponse;
    use leptos::server_fn::response::ClientRes;
    use leptos::server_fn::Bytes;

    use super::{AppError, REFUSALS_IN_BODY, REFUSAL_STATUS};

    pub struct RefusalsInBody;

    /// The browser's answer with the status the server meant.
    pub struct Answer {
        response: BrowserResponse,
        status: u16,
    }

    impl Client<AppError> for RefusalsInBody {
        type Request = BrowserRequest;
        type Response = Answer;

        fn send(request: BrowserRequest) -> impl Future<Output = Result<Answer, AppError>> + Send {
            request.headers().set(REFUSALS_IN_BODY, "1");
            let sent = <BrowserClient as Client<AppError>>::send(request);
            async move {
                let response = sent.await?;
                let meant = response.generate_headers().get(REFUSAL_STATUS).and_then(|v| v.to_str().ok()?.parse::<u16>().ok());
                let status = meant.unwrap_or_else(|| <BrowserResponse as ClientRes<AppError>>::status(&response));
                Ok(Answer { response, status })
            }
        }

        fn open_websocket(
            path: &str,
        ) -> impl Future<Output = Result<(impl Stream<Item = Result<Bytes, Bytes>> + Send + 'static, impl Sink<Bytes> + Send + 'static), AppError>> + Send
        {
            <BrowserClient as Client<AppError>>::open_websocket(path)
        }

        fn spawn(future: impl Future<Output = ()> + Send + 'static) {
            <BrowserClient as Client<AppError>>::spawn(future)
        }
    }

    impl ClientRes<AppError> for Answer {
        fn try_into_string(self) -> impl Future<Output = Result<String, AppError>> + Send {
            self.response.try_into_string()
        }

        fn try_into_bytes(self) -> impl Future<Output = Result<Bytes, AppError>> + Send {
            self.response.try_into_bytes()
        }

        fn try_into_stream(self) -> Result<impl Stream<Item = Result<Bytes, Bytes>> + Send + Sync + 'static, AppError> {
            <BrowserResponse as ClientRes<AppError>>::try_into_stream(self.response)
        }

        fn status(&self) -> u16 {
            self.status
        }

        fn status_text(&self) -> String {
            <BrowserResponse as ClientRes<AppError>>::status_text(&self.response)
        }

        fn location(&self) -> String {
            <BrowserResponse as ClientRes<AppError>>::location(&self.response)
        }

        fn has_redirect(&self) -> bool {
            <BrowserResponse as ClientRes<AppError>>::has_redirect(&self.response)
        }
    }
}
