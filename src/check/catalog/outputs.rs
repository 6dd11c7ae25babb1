//! Output and integration nodes: HTTP post, InfluxDB writes, loopback,
//! autoscalers and sideload (`pipeline/http_post.go`, `influxdb_out.go`,
//! `kapacitor_loopback.go`, `*_autoscale.go`, `sideload.go`).

use super::common::*;
use super::types::{Chains, Edge, Kind, Node, Prop, Sig};

const HTTP_POST_PROPS: &[Prop] = &[
    Prop::new("endpoint", STR, "Name of an endpoint from the [[httppost]] configuration."),
    Prop::new("header", STR2, "Add a header to the request."),
    Prop::new("captureResponse", NONE, "Log the response body of non-2xx responses."),
    Prop::new("codeField", STR, "Field that receives the HTTP status code."),
    Prop::new("timeout", DUR, "Timeout of each request."),
    QUIET,
];

/// `|httpPost([url])`: Go takes `...string` and rejects more than one.
pub const HTTP_POST: Node = node("httpPost", "HTTPPostNode", STRS, PASS, HTTP_POST_PROPS, "POST each point or batch as JSON to a URL.");

const INFLUXDB_OUT_PROPS: &[Prop] = &[
    Prop::new("database", STR, "Database to write to."),
    Prop::new("retentionPolicy", STR, "Retention policy to write to."),
    Prop::new("measurement", STR, "Measurement name of the written points."),
    Prop::new("cluster", STR, "Name of the configured InfluxDB cluster."),
    Prop::new("writeConsistency", STR, "Write consistency level."),
    Prop::new("precision", STR, "Time precision of the writes."),
    Prop::new("buffer", INT, "Points to buffer before writing (default 1000)."),
    Prop::new("flushInterval", DUR, "Write at least this often (default 10s)."),
    Prop::new("create", NONE, "Create the database and retention policy at start."),
    Prop::new("tag", STR2, "Add a static tag to every point."),
    QUIET,
];

/// `|influxDBOut()`: a terminal node.
pub const INFLUXDB_OUT: Node = node("influxDBOut", "InfluxDBOutNode", NONE, (Edge::Any, Edge::None), INFLUXDB_OUT_PROPS, "Write the data to InfluxDB.")
    .chains(Chains::None);

const LOOPBACK_PROPS: &[Prop] = &[
    Prop::new("database", STR, "Database of the looped-back points."),
    Prop::new("retentionPolicy", STR, "Retention policy of the looped-back points."),
    Prop::new("measurement", STR, "Measurement name of the looped-back points."),
    Prop::new("tag", STR2, "Add a static tag to every point."),
    QUIET,
];

/// `|kapacitorLoopback()`: a terminal node.
pub const KAPACITOR_LOOPBACK: Node = node("kapacitorLoopback", "KapacitorLoopbackNode", NONE, (Edge::Any, Edge::None), LOOPBACK_PROPS, "Write the data back into Kapacitor as a stream.")
    .chains(Chains::None);

const K8S_PROPS: &[Prop] = &[
    Prop::new("cluster", STR, "Name of the configured Kubernetes cluster."),
    Prop::new("namespace", STR, "Namespace of the resource."),
    Prop::new("kind", STR, "Resource kind: deployments, replicasets or replicationcontrollers."),
    Prop::new("resourceName", STR, "Name of the resource to scale."),
    Prop::new("resourceNameTag", STR, "Tag holding the name of the resource to scale."),
    Prop::new("currentField", STR, "Field that receives the current replica count."),
    Prop::new("min", INT, "Minimum replica count (default 1)."),
    Prop::new("max", INT, "Maximum replica count; 0 means no limit."),
    Prop::new("replicas", LAMBDA, "Expression giving the desired replica count."),
    Prop::new("increaseCooldown", DUR, "Minimum time between two increases."),
    Prop::new("decreaseCooldown", DUR, "Minimum time between two decreases."),
    Prop::new("namespaceTag", STR, "Tag that receives the namespace on emitted points."),
    Prop::new("kindTag", STR, "Tag that receives the kind on emitted points."),
    Prop::new("resourceTag", STR, "Tag that receives the resource name on emitted points."),
    QUIET,
];

/// `|k8sAutoscale()`.
pub const K8S_AUTOSCALE: Node = node("k8sAutoscale", "K8sAutoscaleNode", NONE, (Edge::Any, Edge::Stream), K8S_PROPS, "Scale a Kubernetes resource from an expression.");

const SWARM_PROPS: &[Prop] = &[
    Prop::new("cluster", STR, "ID of the configured Docker Swarm cluster."),
    Prop::new("serviceName", STR, "Name of the service to scale."),
    Prop::new("serviceNameTag", STR, "Tag holding the name of the service to scale."),
    Prop::new("outputServiceNameTag", STR, "Tag that receives the service name on emitted points."),
    Prop::new("currentField", STR, "Field that receives the current replica count."),
    Prop::new("min", INT, "Minimum replica count (default 1)."),
    Prop::new("max", INT, "Maximum replica count; 0 means no limit."),
    Prop::new("replicas", LAMBDA, "Expression giving the desired replica count."),
    Prop::new("increaseCooldown", DUR, "Minimum time between two increases."),
    Prop::new("decreaseCooldown", DUR, "Minimum time between two decreases."),
    QUIET,
];

/// `|swarmAutoscale()`.
pub const SWARM_AUTOSCALE: Node = node("swarmAutoscale", "SwarmAutoscaleNode", NONE, (Edge::Any, Edge::Stream), SWARM_PROPS, "Scale a Docker Swarm service from an expression.");

const EC2_PROPS: &[Prop] = &[
    Prop::new("cluster", STR, "ID of the configured EC2 autoscaling setup."),
    Prop::new("groupName", STR, "Name of the autoscaling group to scale."),
    Prop::new("groupNameTag", STR, "Tag holding the name of the autoscaling group."),
    Prop::new("outputGroupNameTag", STR, "Tag that receives the group name on emitted points."),
    Prop::new("currentField", STR, "Field that receives the current replica count."),
    Prop::new("min", INT, "Minimum replica count (default 1)."),
    Prop::new("max", INT, "Maximum replica count; 0 means no limit."),
    Prop::new("replicas", LAMBDA, "Expression giving the desired replica count."),
    Prop::new("increaseCooldown", DUR, "Minimum time between two increases."),
    Prop::new("decreaseCooldown", DUR, "Minimum time between two decreases."),
    QUIET,
];

/// `|ec2Autoscale()`.
pub const EC2_AUTOSCALE: Node = node("ec2Autoscale", "Ec2AutoscaleNode", NONE, (Edge::Any, Edge::Stream), EC2_PROPS, "Scale an AWS EC2 autoscaling group from an expression.");

const SIDELOAD_PROPS: &[Prop] = &[
    Prop::new("source", STR, "Where the data comes from, a file:// URL in 1.5.7."),
    Prop::new("order", STRS, "Templated paths searched in order for each key."),
    Prop::new("field", Sig::new(&[Kind::Str, Kind::Any]), "Field to load and its default value (which fixes its type)."),
    Prop::new("tag", STR2, "Tag to load and its default value."),
    QUIET,
];

/// `|sideload()`.
pub const SIDELOAD: Node = node("sideload", "SideloadNode", NONE, PASS, SIDELOAD_PROPS, "Add fields and tags loaded from hierarchical files.");
