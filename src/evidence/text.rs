//! The report's sentences: how its data reads in a line (`12 controls: 2
//! exceptions, 10 fail`), written once for every format.

use super::*;

impl Scope {
    /// One line: `12 users: 9 automation accounts assessed, 3 people not
    /// assessed; 8 roles, 6 permission sets, 3 applications, 6 integrations`.
    pub fn summary(&self) -> String {
        use crate::words::plural;
        format!(
            "{}: {} assessed, {} not assessed; {}, {}, {}, {}",
            plural(self.users, "user"),
            plural(self.automation_accounts, "automation account"),
            if self.people == 1 {
                "1 person".to_string()
            } else {
                format!("{} people", self.people)
            },
            plural(self.roles, "role"),
            plural(self.permission_sets, "permission set"),
            plural(self.applications, "application"),
            plural(self.integrations, "integration")
        )
    }
}

impl FactTally {
    /// `Facts the verdicts rest on: 12 exported, 3 hand-written, 1
    /// attested, 2 unknown.`
    pub fn sentence(&self) -> String {
        format!(
            "Facts the verdicts rest on (API access, Application Entitlements, Build Access lists): \
             {} exported, {} \
             hand-written, {} attested, {} unknown.",
            self.exported, self.hand_written, self.attested, self.unknown
        )
    }
}

impl ReportSummary {
    /// `9 automation accounts assessed; 1 holds least privilege
    /// (svc-risk-sync).`
    pub fn sentence(&self) -> String {
        let accounts = match self.accounts_assessed {
            1 => "1 automation account assessed".to_string(),
            n => format!("{n} automation accounts assessed"),
        };
        let holding = match self.least_privilege_accounts.len() {
            1 => "1 holds".to_string(),
            n => format!("{n} hold"),
        };
        let names = if self.least_privilege_accounts.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.least_privilege_accounts.join(", "))
        };
        format!("{accounts}; {holding} least privilege{names}.")
    }
}

impl ReportSummary {
    /// `12 controls: 2 exceptions, 10 fail`: the verdicts that occur, in
    /// the order of [`ControlStatus::ORDER`].
    pub fn tally(&self) -> String {
        let total: usize = self.control_verdicts.iter().map(|v| v.count).sum();
        let parts: Vec<String> = self
            .control_verdicts
            .iter()
            .filter(|v| v.count > 0)
            .map(|v| format!("{} {}", v.count, v.verdict.label()))
            .collect();
        format!(
            "{}: {}",
            crate::words::plural(total, "control"),
            if parts.is_empty() {
                "none in the catalog".to_string()
            } else {
                parts.join(", ")
            }
        )
    }
}

impl ControlResult {
    /// The verdict with what makes it: `fail: 3 excess or misuse, 2 missing
    /// access`, `exceptions: 4 warnings`.
    pub fn verdict(&self) -> String {
        match self.status {
            ControlStatus::Fail => {
                let mut parts = Vec::new();
                if self.excess > 0 {
                    parts.push(format!("{} excess or misuse", self.excess));
                }
                if self.missing > 0 {
                    parts.push(format!("{} missing access", self.missing));
                }
                if !self.rules_off.is_empty() {
                    parts.push(format!("{} off", self.rules_off.join(", ")));
                }
                format!("fail: {}", parts.join(", "))
            }
            ControlStatus::Exceptions | ControlStatus::PartlyAssessed => {
                let warnings = self.excess + self.missing;
                let mut parts = Vec::new();
                if warnings > 0 {
                    parts.push(crate::words::plural(warnings, "warning"));
                }
                if self.notes > 0 {
                    parts.push(crate::words::plural(self.notes, "note"));
                }
                if !self.rules_off.is_empty() {
                    parts.push(format!("{} off", self.rules_off.join(", ")));
                }
                if !self.rules_undecided.is_empty() {
                    parts.push(format!(
                        "{} could not decide on an unknown fact",
                        self.rules_undecided.join(", ")
                    ));
                }
                format!("{}: {}", self.status.label(), parts.join(", "))
            }
            status => status.label().to_string(),
        }
    }

    /// Whom the control covered: `9 automation accounts checked, 4 with
    /// findings`; `no rule ran` when every rule of it is off.
    pub fn coverage(&self) -> String {
        if self.status == ControlStatus::NotAssessed {
            return "no rule ran".to_string();
        }
        let checked = format!(
            "{} checked",
            crate::words::plural(self.accounts_checked, "automation account")
        );
        match self.accounts_with_findings {
            0 => format!("{checked}, none with findings"),
            n => format!("{checked}, {n} with findings"),
        }
    }
}

impl ControlStatus {
    /// Every verdict, in the order the tally lists them: from the best to
    /// the least known.
    pub const ORDER: [ControlStatus; 6] = [
        ControlStatus::Pass,
        ControlStatus::Waived,
        ControlStatus::Exceptions,
        ControlStatus::Fail,
        ControlStatus::PartlyAssessed,
        ControlStatus::NotAssessed,
    ];

    /// `pass`, `waived`, `exceptions`, `fail`, `partly assessed`, `not
    /// assessed`.
    pub fn label(self) -> &'static str {
        match self {
            ControlStatus::Pass => "pass",
            ControlStatus::Waived => "waived",
            ControlStatus::Exceptions => "exceptions",
            ControlStatus::Fail => "fail",
            ControlStatus::PartlyAssessed => "partly assessed",
            ControlStatus::NotAssessed => "not assessed",
        }
    }
}

impl GrantStatus {
    /// `ok`, `flagged`, `excess`, `missing`.
    pub fn label(self) -> &'static str {
        match self {
            GrantStatus::Ok => "ok",
            GrantStatus::Flagged => "flagged",
            GrantStatus::Excess => "excess",
            GrantStatus::Missing => "missing",
        }
    }
}

impl Configuration {
    /// One line: `config rclint.toml; rules changed: RC105 off; exclude:
    /// drafts/**; 2 waivers`.
    pub fn summary(&self) -> String {
        let mut parts = vec![match &self.config_file {
            Some(f) => format!("config {f}"),
            None => "no config file".to_string(),
        }];
        parts.push(if self.changed_rules.is_empty() {
            "every rule at its default severity".to_string()
        } else {
            format!("rules changed: {}", self.changed_rules.join(", "))
        });
        if !self.exclude.is_empty() {
            parts.push(format!("exclude: {}", self.exclude.join(", ")));
        }
        parts.push(match self.waivers {
            1 => "1 waiver".to_string(),
            n => format!("{n} waivers"),
        });
        parts.join("; ")
    }
}

impl AccountSection {
    /// `erin: 8 grants (1 ok, 5 excess, 2 missing), 11 findings, 1
    /// waived.`: the closing line of the account's section.
    pub fn tally(&self) -> String {
        use crate::words::plural;
        let statuses: Vec<String> = [
            GrantStatus::Ok,
            GrantStatus::Flagged,
            GrantStatus::Excess,
            GrantStatus::Missing,
        ]
        .iter()
        .filter_map(|s| {
            let n = self.matrix.iter().filter(|r| r.status == *s).count();
            (n > 0).then(|| format!("{n} {}", s.label()))
        })
        .collect();
        let grants = if statuses.is_empty() {
            plural(0, "grant")
        } else {
            format!(
                "{} ({})",
                plural(self.matrix.len(), "grant"),
                statuses.join(", ")
            )
        };
        format!(
            "{}: {grants}, {}, {} waived.",
            self.name,
            plural(self.findings.len(), "finding"),
            self.waived.len()
        )
    }

    /// `Service account, active, API access on.`: what the account is.
    pub fn description(&self) -> String {
        let mut text = format!(
            "{}, {}, API access {}",
            if self.service_account {
                "Service account"
            } else {
                "Personal account"
            },
            if self.active { "active" } else { "inactive" },
            match self.api_access {
                Some(true) => "on",
                Some(false) => "off",
                None => "unknown (not exported, not attested)",
            }
        );
        if let Some(day) = &self.last_login {
            text.push_str(&format!(", last login {day}"));
        }
        if let Some(rolls) = &self.token_rolls {
            text.push_str(&format!(", token rolled {rolls}"));
        }
        text.push('.');
        text
    }
}
