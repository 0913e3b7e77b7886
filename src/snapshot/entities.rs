//! Reading each kind of entity (`[[application]]`, `[[role]]`, ...) out of
//! its TOML table, with the keys the format allows.

use super::format;
use super::keys::Step;
use super::model::*;
use super::parse::{Cx, Table, TableValues};
use crate::source::Located;
use crate::suggest;

impl<'a, 'i> Cx<'a, 'i> {
    pub(super) fn application(&mut self, t: Table<'a, 'i>) -> Option<Application> {
        self.check_keys(t);
        let name = self.name(t, "application", true);
        let restrict_build_access = self.bool(t, "restrict_build_access");
        let build_access = self.levels(t, "build_access");
        let mut workflows = Vec::new();
        if let Some(value) = t.get("workflow") {
            let key_span = self.span(value.span());
            // A `workflow` of the wrong type is reported; the application is
            // still defined, so references to it resolve.
            for w in self
                .tables(value, key_span, &format::WORKFLOW, "application.workflow")
                .unwrap_or_default()
            {
                self.enter("workflow", &w);
                if let Some(w) = self.workflow(w.table) {
                    workflows.push(w);
                }
                self.leave();
            }
        }
        let unknown = self.unknown(t, &["build_access"]);
        Some(Application {
            unknown,
            id: self.string(t, "id"),
            name: name?,
            restrict_build_access,
            build_access,
            workflows,
        })
    }

    pub(super) fn workflow(&mut self, t: Table) -> Option<Workflow> {
        self.check_keys(t);
        let name = self.name(t, "workflow", true);
        let steps = if t.get("steps").is_none() {
            self.missing(t, "workflow", "steps");
            None
        } else {
            self.strings(t, "steps")
        };
        let origin = self.string(t, "origin");
        let (name, steps) = (name?, steps?);
        for (i, step) in steps.iter().enumerate() {
            self.check_name(&[Step::Key("steps"), Step::Index(i)], step, "step", true);
        }
        if steps.is_empty() {
            self.invalid(
                &[Step::Key("steps")],
                name.span,
                format!("workflow '{}' has no steps", name.value),
                "list the workflow's steps in order",
            );
        }
        if let Some(origin) = &origin
            && !steps.iter().any(|s| s.value == origin.value)
        {
            let names: Vec<&str> = steps.iter().map(|s| s.value.as_str()).collect();
            let mut help = "the Origin Step must be one of the workflow's steps".to_string();
            if let Some(c) = suggest::closest(&origin.value, names) {
                help = format!("{} {help}", suggest::did_you_mean(c));
            }
            self.invalid(
                &[Step::Key("origin")],
                origin.span,
                format!(
                    "origin '{}' is not a step of workflow '{}'",
                    origin.value, name.value
                ),
                help,
            );
        }
        Some(Workflow {
            id: self.string(t, "id"),
            step_ids: self.strings_by_name(t, "step_ids"),
            name,
            steps,
            origin,
        })
    }

    pub(super) fn permission_set(&mut self, t: Table) -> Option<PermissionSet> {
        self.check_keys(t);
        let name = self.name(t, "permission set", false);
        if t.get("steps").is_none() {
            self.missing(t, "permission set", "steps");
        }
        let steps = self.levels(t, "steps");
        Some(PermissionSet {
            id: self.string(t, "id"),
            name: name?,
            steps,
        })
    }

    pub(super) fn role(&mut self, t: Table) -> Option<Role> {
        self.check_keys(t);
        let name = self.name(t, "role", false);
        let modules = self.strings(t, "modules").unwrap_or_default();
        let applications = self.levels(t, "applications");
        let permission_sets = self.strings(t, "permission_sets").unwrap_or_default();
        let default_for_new_users = self
            .bool(t, "default_for_new_users")
            .is_some_and(|b| b.value);
        Some(Role {
            unknown: self.unknown(t, &["applications"]),
            id: self.string(t, "id"),
            name: name?,
            modules,
            applications,
            permission_sets,
            default_for_new_users,
        })
    }

    pub(super) fn user(&mut self, t: Table) -> Option<User> {
        self.check_keys(t);
        let name = self.name(t, "user", false);
        let details = UserDetails::read(&mut TableValues { cx: self, table: t });
        let unknown = self.unknown(t, &["api_access", "applications"]);
        Some(User {
            unknown,
            details: details.boxed(),
            service_account: self.bool(t, "service_account"),
            active: self.bool(t, "active"),
            api_access: self.bool(t, "api_access"),
            roles: self.strings(t, "roles").unwrap_or_default(),
            applications: self.levels(t, "applications"),
            permission_sets: self.strings(t, "permission_sets").unwrap_or_default(),
            name: name?,
        })
    }

    /// `unknown`: the facts nobody has said, each one of `allowed`.
    fn unknown(&mut self, t: Table, allowed: &[&str]) -> Vec<Located<Name>> {
        let mut keys = self.strings(t, "unknown").unwrap_or_default();
        let mut i = 0;
        keys.retain(|key| {
            i += 1;
            if allowed.contains(&key.value.as_str()) {
                return true;
            }
            self.invalid(
                &[Step::Key("unknown"), Step::Index(i - 1)],
                key.span,
                format!("'{}' cannot be unknown here", key.value),
                format!(
                    "only {} can be: the facts an export may not carry",
                    allowed.join(", ")
                ),
            );
            false
        });
        keys
    }

    /// An `[[attestation]]`: one subject (`user` or `application`), the
    /// fact about it, and who, when, on what evidence.
    pub(super) fn attestation(&mut self, t: Table) -> Option<Attestation> {
        self.check_keys(t);
        let by = self.required_string(t, "attestation", "by");
        let on = match t.get("on") {
            None => {
                self.missing(t, "attestation", "on");
                None
            }
            Some(_) => self.date_time(t, "on"),
        };
        let evidence = self.required_string(t, "attestation", "evidence");
        let expires = self.date_time(t, "expires");
        let user = self.string(t, "user");
        let application = self.string(t, "application");
        let role = self.string(t, "role");
        let api_access = self.bool(t, "api_access");
        let mut table = |key| t.get(key).is_some().then(|| self.levels(t, key));
        let build_access = table("build_access");
        let applications = table("applications");
        let fact = match (
            user,
            application,
            role,
            api_access,
            build_access,
            applications,
        ) {
            (Some(user), None, None, Some(value), None, None) => {
                Attested::ApiAccess { user, value }
            }
            (None, Some(application), None, None, Some(entries), None) => Attested::BuildAccess {
                application,
                entries,
            },
            (Some(holder), None, None, None, None, Some(entries)) => Attested::Applications {
                holder,
                role: false,
                entries,
            },
            (None, None, Some(holder), None, None, Some(entries)) => Attested::Applications {
                holder,
                role: true,
                entries,
            },
            _ => {
                self.invalid(
                    &[],
                    t.header,
                    "an attestation states one fact about one subject",
                    "write user = NAME with api_access, application = NAME with build_access, \
                     or user or role = NAME with applications",
                );
                return None;
            }
        };
        Some(Attestation {
            span: t.header,
            fact,
            by: by?,
            on: on?,
            evidence: evidence?,
            expires,
        })
    }

    /// An `[[activity]]` record.
    pub(super) fn activity(&mut self, t: Table) -> Option<Activity> {
        self.check_keys(t);
        let user = self.required_string(t, "activity record", "user");
        Some(Activity {
            last_login: self.date_time(t, "last_login"),
            token_rolls: self.count(t, "token_rolls"),
            token_rolls_since: self.date_time(t, "token_rolls_since"),
            user: user?,
        })
    }

    pub(super) fn report(&mut self, t: Table) -> Option<Report> {
        self.check_keys(t);
        let name = self.name(t, "report", false);
        let steps = if t.get("steps").is_none() {
            self.missing(t, "report", "steps");
            None
        } else {
            self.strings(t, "steps")
        };
        Some(Report {
            name: name?,
            steps: steps.unwrap_or_default(),
        })
    }

    pub(super) fn environment(&mut self, t: Table) -> Option<Located<Environment>> {
        let text = self.string(t, "environment")?;
        match Environment::ALL.iter().find(|(s, _)| *s == text.value) {
            Some((_, e)) => Some(Located::new(*e, text.span)),
            None => {
                let names = Environment::ALL.iter().map(|(s, _)| *s);
                let mut help =
                    "use \"production\", \"staging\", \"ci\" or \"development\"".to_string();
                if let Some(c) = suggest::closest(&text.value, names) {
                    help = format!("{} {help}", suggest::did_you_mean(c));
                }
                self.invalid(
                    &[Step::Key("environment")],
                    text.span,
                    format!("'{}' is not an environment", text.value),
                    help,
                );
                None
            }
        }
    }

    pub(super) fn integration(&mut self, t: Table<'a, 'i>) -> Option<Integration> {
        self.check_keys(t);
        let name = self.name(t, "integration", false);
        let account = self.required_string(t, "integration", "account");
        let mut intents = Vec::new();
        match t.get("intent") {
            None => self.missing(t, "integration", "intent"),
            Some(value) => {
                let key_span = self.span(value.span());
                // A wrong type is reported; the integration is still defined.
                let tables = self
                    .tables(value, key_span, &format::INTENT, "integration.intent")
                    .unwrap_or_default();
                if tables.is_empty()
                    && matches!(value.get_ref(), toml::de::DeValue::Array(a) if a.is_empty())
                {
                    self.invalid(
                        &[Step::Key("intent")],
                        key_span,
                        "this integration declares no intent",
                        "add an [[integration.intent]] for each thing it does; \
                         without one its minimal grant is empty",
                    );
                }
                for (i, e) in tables.iter().enumerate() {
                    // Intents are named by their index: they have no name.
                    let path = self.key_path(&[Step::Key("intent"), Step::Index(i)]);
                    self.at.extend([Step::Key("intent"), Step::Index(i)]);
                    if let Some(intent) = self.intent(e.table, path) {
                        intents.push(intent);
                    }
                    self.leave();
                }
            }
        }
        Some(Integration {
            team: self.string(t, "team"),
            repository: self.string(t, "repository"),
            owner: self.string(t, "owner"),
            environment: self.environment(t),
            retry_on_401: self.bool(t, "retry_on_401"),
            token_source: self.string(t, "token_source"),
            on_behalf_of_users: self.bool(t, "on_behalf_of_users"),
            intents,
            name: name?,
            account: account?,
        })
    }

    pub(super) fn intent(&mut self, t: Table, key_path: String) -> Option<Intent> {
        self.check_keys(t);
        let action = self.required_string(t, "intent", "action");
        Some(Intent {
            span: t.header,
            key_path,
            workflow: self.string(t, "workflow"),
            steps: self.strings(t, "steps"),
            report: self.string(t, "report"),
            applications: self.strings(t, "applications"),
            admin_data: self.bool(t, "admin_data"),
            action: action?,
        })
    }
}
