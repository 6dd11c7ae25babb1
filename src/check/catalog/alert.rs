//! The alert node (`pipeline/alert.go`, semantics §3.1) and `deadman`,
//! which is an alert node behind `stats|derivative`.

use super::alert_handlers as h;
use super::common::*;
use super::types::{Edge, Kind, Node, Prop, Rule, Sig};

/// Every property of the 1.5.7 alert node, handlers included.
pub const ALERT_PROPS: &[Prop] = &[
    Prop::new("id", STR, "Template of the alert ID (default {{ .Name }}:{{ .Group }})."),
    Prop::new("message", STR, "Template of the alert message (default {{ .ID }} is {{ .Level }})."),
    Prop::new("details", STR, "HTML template of the alert details (default {{ json . }})."),
    Prop::new("info", LAMBDA, "Condition of the INFO level."),
    Prop::new("warn", LAMBDA, "Condition of the WARNING level."),
    Prop::new("crit", LAMBDA, "Condition of the CRITICAL level."),
    Prop::new("infoReset", LAMBDA, "Condition to leave the INFO level."),
    Prop::new("warnReset", LAMBDA, "Condition to leave the WARNING level."),
    Prop::new("critReset", LAMBDA, "Condition to leave the CRITICAL level."),
    Prop::new("topic", STR, "Publish events to this alert topic."),
    Prop::new("category", STR, "Category used by inhibitors."),
    Prop::new("history", INT, "States kept for flapping detection (default 21, at least 2)."),
    Prop::new("flapping", Sig::new(&[Kind::Float, Kind::Float]), "Flap detection with low and high thresholds in 0..1.")
        .with_rules(&[(0, Rule::Fraction), (1, Rule::Fraction)]),
    Prop::new("stateChangesOnly", Sig::rest(&[], Kind::Duration), "Send events only on state changes, or at least every interval."),
    Prop::new("noRecoveries", NONE, "Do not send OK events."),
    Prop::new("all", NONE, "Trigger only if every point of a batch matches."),
    Prop::new("levelTag", STR, "Tag of the emitted point that receives the level."),
    Prop::new("levelField", STR, "Field of the emitted point that receives the level."),
    Prop::new("messageField", STR, "Field of the emitted point that receives the message."),
    Prop::new("durationField", STR, "Field of the emitted point that receives the duration (ns)."),
    Prop::new("idTag", STR, "Tag of the emitted point that receives the alert ID."),
    Prop::new("idField", STR, "Field of the emitted point that receives the alert ID."),
    Prop::new("inhibit", Sig::rest(&[Kind::Str], Kind::Str), "Inhibit alerts of a category whose listed tags are equal."),
    QUIET,
    Prop::handler("post", STRS, "POST the alert JSON to a URL or configured endpoint.", &h::POST),
    Prop::handler("tcp", STR, "Send the alert JSON to an address over TCP.", &h::TCP),
    Prop::handler("email", STRS, "Email the alert.", &h::EMAIL),
    Prop::handler("exec", Sig::rest(&[Kind::Str], Kind::Str), "Run a program with the alert JSON on stdin.", &h::EXEC),
    Prop { rules: &[(0, Rule::AbsolutePath)], ..Prop::handler("log", STR, "Append the alert JSON to a file (absolute path).", &h::LOG) },
    Prop::handler("victorOps", NONE, "Send the alert to VictorOps.", &h::VICTOR_OPS),
    Prop::handler("pagerDuty", NONE, "Send the alert to PagerDuty (v1 API).", &h::PAGER_DUTY),
    Prop::handler("pagerDuty2", NONE, "Send the alert to PagerDuty (v2 API).", &h::PAGER_DUTY2),
    Prop::handler("pushover", NONE, "Send the alert to Pushover.", &h::PUSHOVER),
    Prop::handler("sensu", NONE, "Send the alert to Sensu.", &h::SENSU),
    Prop::handler("slack", NONE, "Send the alert to Slack.", &h::SLACK),
    Prop::handler("telegram", NONE, "Send the alert to Telegram.", &h::TELEGRAM),
    Prop::handler("hipChat", NONE, "Send the alert to HipChat.", &h::HIP_CHAT),
    Prop::handler("alerta", NONE, "Send the alert to Alerta.", &h::ALERTA),
    Prop::handler("opsGenie", NONE, "Send the alert to OpsGenie (v1 API).", &h::OPS_GENIE),
    Prop::handler("opsGenie2", NONE, "Send the alert to OpsGenie (v2 API).", &h::OPS_GENIE2),
    Prop::handler("talk", NONE, "Send the alert to Talk.", &h::TALK),
    Prop::handler("mqtt", STR, "Publish the alert to an MQTT topic.", &h::MQTT),
    Prop::handler("snmpTrap", STR, "Send an SNMP trap with this OID.", &h::SNMP_TRAP),
    Prop::handler("kafka", NONE, "Send the alert to a Kafka topic.", &h::KAFKA),
    Prop::handler("discord", NONE, "Send the alert to Discord.", &h::DISCORD),
    Prop::handler("teams", NONE, "Send the alert to Microsoft Teams.", &h::TEAMS),
    Prop::handler("serviceNow", NONE, "Send the alert to ServiceNow.", &h::SERVICE_NOW),
];

/// `|alert()`: `|log()` after it is the log node, `.log()` the handler.
pub const ALERT: Node = node("alert", "AlertNode", NONE, PASS, ALERT_PROPS, "Raise alerts of varying levels and send them to handlers.").runnable();

/// `|deadman(threshold, interval, lambda...)`: exists on every node and
/// returns an alert node, so all alert properties apply after it.
pub const DEADMAN: Node = node(
    "deadman",
    "AlertNode",
    Sig::rest(&[Kind::Float, Kind::Duration], Kind::Lambda),
    (Edge::None, Edge::Stream),
    ALERT_PROPS,
    "Alert when the parent's throughput drops below a threshold.",
)
.runnable();
