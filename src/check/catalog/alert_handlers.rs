//! Alert handler objects of Kapacitor 1.5.7 (`pipeline/alert.go`) and their
//! own properties. The HEAD-only `bigPanda`, `zenoss`, email `toTemplates`,
//! alerta `correlated`/`attribute`, kafka `disablePartitionById` /
//! `partitionHashAlgorithm`, serviceNow `additionalInfo` and opsGenie2
//! `details` are deliberately absent (`kapacitor-versions.md` rows 16-17).

use super::common::*;
use super::types::{Handler, Kind, Prop, Rule, Sig};

/// `.post([url])`.
pub const POST: Handler = Handler { name: "post", props: &[
    Prop::new("endpoint", STR, "Name of an endpoint from the [[httppost]] configuration."),
    Prop::new("header", STR2, "Add a header to the request (not Authenticate)."),
    Prop::new("captureResponse", NONE, "Log the response body of non-2xx responses."),
    Prop::new("timeout", DUR, "Timeout of each request."),
    Prop::new("skipSSLVerification", NONE, "Do not verify the server's TLS certificate."),
    Prop::new("URL", STR, "The URL to post to."),
] };

/// `.tcp(address)`.
pub const TCP: Handler = Handler { name: "tcp", props: &[Prop::new("address", STR, "The host:port to send to.")] };

/// `.email(to...)`.
pub const EMAIL: Handler = Handler { name: "email", props: &[Prop::new("to", STRS, "Add recipients; several calls append.")] };

/// `.exec(prog, args...)`: no properties of its own.
pub const EXEC: Handler = Handler { name: "exec", props: &[] };

/// `.log(path)`.
pub const LOG: Handler = Handler { name: "log", props: &[
    Prop::new("mode", INT, "File mode of the log file, octal with a leading 0 (default 0600).")
        .with_rules(&[(0, Rule::FileMode)]),
] };

/// `.victorOps()`.
pub const VICTOR_OPS: Handler = Handler { name: "victorOps", props: &[Prop::new("routingKey", STR, "VictorOps routing key.")] };

/// `.pagerDuty()`.
pub const PAGER_DUTY: Handler = Handler { name: "pagerDuty", props: &[Prop::new("serviceKey", STR, "PagerDuty service key.")] };

/// `.pagerDuty2()`.
pub const PAGER_DUTY2: Handler = Handler { name: "pagerDuty2", props: &[
    Prop::new("routingKey", STR, "PagerDuty routing key."),
    Prop::new("serviceKey", STR, "The routing key, under its v1 name (kept for compatibility)."),
    Prop::new("link", Sig::rest(&[Kind::Str], Kind::Str), "Add a link (href and optional text) to the event."),
] };

/// `.pushover()`.
pub const PUSHOVER: Handler = Handler { name: "pushover", props: &[
    Prop::new("userKey", STR, "User or group key to notify."),
    Prop::new("device", STR, "Device name(s) to notify."),
    Prop::new("title", STR, "Message title."),
    Prop::new("URL", STR, "Supplementary URL shown with the message."),
    Prop::new("URLTitle", STR, "Title of the supplementary URL."),
    Prop::new("sound", STR, "Notification sound."),
] };

/// `.sensu()`.
pub const SENSU: Handler = Handler { name: "sensu", props: &[
    Prop::new("source", STR, "Sensu source of the event."),
    Prop::new("handlers", STRS, "Sensu handlers to use."),
    Prop::new("metadata", Sig::new(&[Kind::Str, Kind::Any]), "Add a key/value pair to the event."),
] };

/// `.slack()`.
pub const SLACK: Handler = Handler { name: "slack", props: &[
    Prop::new("workspace", STR, "Which configured Slack workspace to use."),
    Prop::new("channel", STR, "Channel or @user to post to."),
    Prop::new("username", STR, "Username of the bot."),
    Prop::new("iconEmoji", STR, "Emoji used as the bot's icon."),
] };

/// `.telegram()`.
pub const TELEGRAM: Handler = Handler { name: "telegram", props: &[
    Prop::new("chatId", STR, "Chat to post to."),
    Prop::new("parseMode", STR, "Markdown or HTML."),
    Prop::new("disableWebPagePreview", NONE, "Disable link previews."),
    Prop::new("disableNotification", NONE, "Send silently."),
] };

/// `.hipChat()`.
pub const HIP_CHAT: Handler = Handler { name: "hipChat", props: &[
    Prop::new("room", STR, "Room to post to."),
    Prop::new("token", STR, "Authentication token."),
] };

/// `.alerta()`.
pub const ALERTA: Handler = Handler { name: "alerta", props: &[
    Prop::new("token", STR, "Authentication token."),
    Prop::new("resource", STR, "Alerta resource template (default {{ .Name }})."),
    Prop::new("event", STR, "Alerta event template (default {{ .ID }})."),
    Prop::new("environment", STR, "Alerta environment template."),
    Prop::new("group", STR, "Alerta group template (default {{ .Group }})."),
    Prop::new("value", STR, "Alerta value template."),
    Prop::new("origin", STR, "Alerta origin."),
    Prop::new("services", STRS, "Affected services."),
    Prop::new("timeout", DUR, "Alerta timeout (default 24h)."),
] };

/// `.opsGenie()`.
pub const OPS_GENIE: Handler = Handler { name: "opsGenie", props: &[
    Prop::new("teams", STRS, "Teams to alert."),
    Prop::new("recipients", STRS, "Recipients to alert."),
] };

/// `.opsGenie2()`.
pub const OPS_GENIE2: Handler = Handler { name: "opsGenie2", props: &[
    Prop::new("teams", STRS, "Teams to alert."),
    Prop::new("recipients", STRS, "Recipients to alert."),
    Prop::new("recoveryAction", STR, "What to do on recovery: notes or close."),
] };

/// `.talk()`: no properties of its own.
pub const TALK: Handler = Handler { name: "talk", props: &[] };

/// `.mqtt(topic)`.
pub const MQTT: Handler = Handler { name: "mqtt", props: &[
    Prop::new("brokerName", STR, "Which configured broker to use."),
    Prop::new("topic", STR, "MQTT topic (replaces the alert topic property here)."),
    Prop::new("qos", INT, "Quality of service: 0, 1 or 2."),
    Prop::new("retained", BOOL, "Retain the message on the broker."),
] };

/// `.snmpTrap(oid)`.
pub const SNMP_TRAP: Handler = Handler { name: "snmpTrap", props: &[
    Prop::new("data", Sig::new(&[Kind::Str, Kind::Str, Kind::Str]), "Add trap data: oid, type (c i n s t) and value template."),
] };

/// `.kafka()`.
pub const KAFKA: Handler = Handler { name: "kafka", props: &[
    Prop::new("cluster", STR, "Which configured Kafka cluster to use."),
    Prop::new("kafkaTopic", STR, "Kafka topic to write to."),
    Prop::new("template", STR, "Template of the message body (default: alert JSON)."),
] };

/// `.discord()`.
pub const DISCORD: Handler = Handler { name: "discord", props: &[
    Prop::new("workspace", STR, "Which configured Discord workspace to use."),
    Prop::new("username", STR, "Username of the webhook bot."),
    Prop::new("avatarUrl", STR, "Avatar image URL of the webhook bot."),
    Prop::new("embedTitle", STR, "Title of the alert embed."),
    Prop::new("timestamp", BOOL, "Show the timestamp in the embed footer."),
] };

/// `.teams()`.
pub const TEAMS: Handler = Handler { name: "teams", props: &[Prop::new("channelURL", STR, "Incoming webhook URL of the channel.")] };

/// `.serviceNow()`.
pub const SERVICE_NOW: Handler = Handler { name: "serviceNow", props: &[
    Prop::new("source", STR, "Source of the event."),
    Prop::new("node", STR, "ServiceNow node template."),
    Prop::new("type", STR, "ServiceNow type template."),
    Prop::new("resource", STR, "ServiceNow resource template."),
    Prop::new("metricName", STR, "ServiceNow metric name template."),
    Prop::new("messageKey", STR, "ServiceNow message key template."),
] };
