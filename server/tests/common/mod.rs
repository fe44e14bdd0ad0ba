//! A real server (router, sessions, guards) on an in-memory database with the demo organisation,
//! driven request by request. (Each test file uses part of it.)
#![allow(dead_code)]

use std::collections::HashMap;

use app::demo::seed;
use app::demo::seed::{DEMO_PASSWORD, demo_email};
use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use axum::Router;
use clap::Parser;
use http_body_util::BodyExt;
use server::Config;
use tower::ServiceExt;

pub struct Harness {
    pub app: Router,
    pub db: app::db::Db,
    ids: HashMap<String, String>,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("JSON: {}", self.body))
    }

    /// The session cookie this answer sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.set_cookie().map(|c| c.split(';').next().unwrap_or_default().to_owned())
    }

    pub fn set_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("los_session="))
            .map(str::to_owned)
    }
}

impl Harness {
    pub async fn new(extra_args: &[&str]) -> Harness {
        let mut args = vec!["--database-url", "mem://"];
        args.extend_from_slice(extra_args);
        Self::with_args(&args, true).await
    }

    /// A server with exactly these arguments; `seed` fills an empty database with the demo.
    pub async fn with_args(args: &[&str], seed: bool) -> Harness {
        let args: Vec<&str> = std::iter::once("line-of-sight").chain(args.iter().copied()).collect();
        let config = Config::parse_from(args);
        let db = server::open_database(&config).await.expect("database");
        if seed {
            seed::seed_demo(&db).await.expect("demo data");
        }
        let people = app::org::store::people::list(&db, true).await.expect("people");
        let ids = people.into_iter().map(|p| (p.email, p.id)).collect();
        let app = server::router(&config, server::app_state(&config, db.clone()));
        Harness { app, db, ids }
    }

    /// The id of a demo person, by the name part of their email (`sam.taylor`).
    pub fn id(&self, name: &str) -> String {
        self.ids[&demo_email(name)].clone()
    }

    pub async fn request(&self, request: Request<Body>) -> Answer {
        answer(self.app.clone(), request).await
    }

    /// A page as a browser asks for it, signed in with `cookie` or not.
    pub async fn page(&self, cookie: Option<&str>, path: &str) -> Answer {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.request(request.body(Body::empty()).unwrap()).await
    }

    /// A demo person as the server functions see them.
    pub async fn user(&self, name: &str) -> app::auth::types::SessionUser {
        app::org::store::people::session_user(&self.db, &self.id(name)).await.unwrap().unwrap().0
    }

    /// Calls a server function the way the app's own pages do.
    pub async fn call(&self, endpoint: &str, json: &str, cookie: Option<&str>) -> Answer {
        self.request(call_request(endpoint, json, cookie)).await
    }

    /// Calls a server function once per body, all at the same time; the answers in body order.
    pub async fn call_at_once(&self, endpoint: &str, bodies: &[String], cookie: Option<&str>) -> Vec<Answer> {
        let mut calls = tokio::task::JoinSet::new();
        for (i, json) in bodies.iter().enumerate() {
            let (app, request) = (self.app.clone(), call_request(endpoint, json, cookie));
            calls.spawn(async move { (i, answer(app, request).await) });
        }
        let mut answers = calls.join_all().await;
        answers.sort_by_key(|(i, _)| *i);
        answers.into_iter().map(|(_, answer)| answer).collect()
    }

    pub async fn sign_in_answer(&self, email: &str, password: &str, cookie: Option<&str>) -> Answer {
        let form = format!("email={}&password={}", email.replace('@', "%40"), password);
        let mut request = Request::post("/api/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.request(request.body(Body::from(form)).unwrap()).await
    }

    /// Signs a demo person in and returns their session cookie.
    pub async fn sign_in(&self, name: &str) -> String {
        let answer = self.sign_in_answer(&demo_email(name), DEMO_PASSWORD, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{name} signs in: {}", answer.body);
        answer.session_cookie().expect("a session cookie")
    }
}

fn call_request(endpoint: &str, json: &str, cookie: Option<&str>) -> Request<Body> {
    let mut request = Request::post(format!("/api/{endpoint}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json")
        .header("sec-fetch-site", "same-origin");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    request.body(Body::from(json.to_owned())).unwrap()
}

async fn answer(app: Router, request: Request<Body>) -> Answer {
    let response = app.oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}
