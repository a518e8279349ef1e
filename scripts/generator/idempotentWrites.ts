/**
 * Writes that are safe to send again when their outcome is unknown (a 502, a timeout, a reset
 * connection after the request left): sending one twice leaves the same state as sending it
 * once, and the second answer is the same success. The client retries them like reads
 * (`OperationInfo.idempotent`); the generated `src/generated/IDEMPOTENT_WRITES.md` lists them.
 *
 * Reviewed by hand, one reason each, and conservative. Never listed:
 * - creates, and upserts that create when no ID is given (`team-write-upsert`, `calEventUpsert`,
 *   status page component/section upserts, post-mortem template upsert): a second one is a
 *   second object;
 * - comments, merges, appends and additions (`incidentComment`, `alert-write-merge`,
 *   `incidentResponderAdd`, war-room members), notifications and test deliveries;
 * - deletes and truncation, snooze (extends a deadline), reopen, assign (notifies again),
 *   custom actions, runs, triggers, migrations, imports;
 * - enable/disable and unack/wake/merge-disable, which may fail when the state is already set
 *   (a retry after a lost success would turn it into an error);
 * - anything that rotates or issues a token (`channelUpdate` with external reporting on,
 *   `automation-rule-write-update` with `rotate_http_post_trigger_token`);
 * - writes under optimistic concurrency (`routeUpsert` sends the `version` it read: a re-sent
 *   one is a conflict), and writes whose re-send changes more than the values sent
 *   (`rum-issue-write-update` re-stamps `resolved_at`, `monit-rule-write-move` reports the rules
 *   it already moved as conflicts, `postmortem-write-reset-status` may publish again,
 *   `memberResetInfo` may re-send verification messages).
 *
 * Generation fails when a listed operationId does not exist or is not a write.
 */
export const idempotentWrites: Readonly<Record<string, string>> = {
  incidentAck: "acknowledging an acknowledged incident leaves it acknowledged",
  incidentResolve: "resolving a resolved incident leaves it resolved",
  incidentReset: "sets the given fields of one incident to the given values",
  incidentFieldReset: "sets one custom field of one incident to the given value",
  channelSilenceRuleUpdate: "replaces the configuration of one silence rule, by ID",
  channelInhibitRuleUpdate: "replaces the configuration of one inhibit rule, by ID",
  channelUnsubscribeRuleUpdate: "replaces the configuration of one drop rule, by ID",
  channelEscalateRuleUpdate: "replaces the configuration of one escalation rule, by ID",
  "alert-write-pipeline-upsert": "replaces an integration's whole alert pipeline, keyed by integration",
  scheduleUpdate: "replaces the configuration of one schedule, by ID",
  calendarUpdate: "sets the given fields of one calendar, by ID",
  "template-write-update": "overwrites every channel of one template, by ID",
  "enrichment-write-upsert": "replaces an integration's whole enrichment rule set, keyed by integration",
  "mapping-schema-write-update": "sets the name, description or team of one mapping schema, by ID",
  "mapping-data-write-upsert":
    "upserts rows keyed on their source label values: the same rows again change nothing",
  "mapping-api-write-update": "sets the given fields of one mapping API, by ID",
  "monit-rule-write-update": "replaces the full configuration of one alert rule, by ID",
  "monit-rule-write-fields-update": "sets the listed fields of the given alert rules to the given values",
  "monit-datasource-write-update": "sets the given fields of one data source, by ID",
  "monit-store-ruleset-update": "sets the note, sharing flag and payload of one ruleset, by ID",
  "rum-application-write-update": "sets the given fields of one RUM application, by ID",
  memberUpdateRole: "replaces a member's whole set of roles",
  "field-write-update": "sets the given attributes of one custom field, by ID",
  "postmortem-write-reset-basics": "replaces the incident facts of one post-mortem",
  "postmortem-write-reset-title": "replaces the title of one post-mortem",
  "postmortem-write-reset-follow-ups": "replaces the follow-up items of one post-mortem",
  statusPageUpdate: "sets the given settings of one status page, by ID",
  "remote-agent-write-update": "sets the given fields of one A2A agent (masked secrets sent back are kept)",
  "mcp-write-server-update": "sets the given fields of one MCP server (masked secrets sent back are kept)",
  "skill-write-update": "sets the descriptions or team of one skill, by ID"
}
