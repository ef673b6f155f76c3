using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dapper;

namespace Iqts.Api.Audit;

/// <summary>
/// Who made a change: the token's id and name, and the person in the provider's student-record system when its request
/// said (<c>X-Iqts-User</c>), recorded in the audit history.
/// </summary>
public sealed record Actor(Guid TokenId, string TokenName, SrsUser? User = null);

/// <summary>
/// The user of the provider's student-record system behind a change (Apply's <c>meta.attribution</c>): personal data,
/// kept in the history and never logged.
/// </summary>
/// <param name="Name">The user's full name, as the SRS gave it.</param>
/// <param name="Id">The SRS's own id for the user.</param>
/// <param name="Email">The user's email, only when the SRS sends it.</param>
public sealed record SrsUser(string Name, string Id, string? Email);

/// <summary>One changed field of a history entry.</summary>
/// <param name="Field">The field's JSON name.</param>
/// <param name="Before">The value before, JSON-encoded as the API shows it (e.g. <c>"Verma"</c> with its quotes, <c>4</c>, <c>["100403"]</c>); null when absent.</param>
/// <param name="After">The value after, encoded the same way; null when absent.</param>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>One write to a trainee: when, by which token, what it did and which fields changed.</summary>
/// <param name="At">When.</param>
/// <param name="TokenName">The name of the token that made the change (its system, e.g. "SITS live").</param>
/// <param name="Action">created, updated, deferred, reinstated, withdrawn, or the write of a feature: qualification_added, suitability_checks_updated, placement_added, assessment_recorded, awarded, trn_received (the TRA gave the TRN), award_acknowledged (the TRA recorded the award), and so on.</param>
/// <param name="Changes">The fields the write changed, with their values before and after.</param>
/// <param name="User">The student-record system's user behind the change, when its request named one (<c>X-Iqts-User</c>).</param>
public sealed record HistoryEntry(DateTimeOffset At, string TokenName, string Action, IReadOnlyList<FieldChange> Changes, SrsUser? User = null);

/// <summary>The whole history of a provider's record (an inspection, a governance change, a moderator, an evaluation), oldest first: who, when, which fields.</summary>
/// <param name="Items">Every change, oldest first.</param>
public sealed record RecordHistory(IReadOnlyList<HistoryEntry> Items);

/// <summary>A property the audit history leaves out: bookkeeping (versions, timestamps) or values derived from others.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>
/// The audit history's own event model: a write is an action and the fields it changed, each with its value before and
/// after. Values are encoded as the API spells them (camelCase names, snake_case enums, ISO dates), with the storage's
/// own options (<see cref="StoredJson"/>) so that a change to the HTTP layer cannot change what history says.
/// The history holds personal data; it lives in the database beside the record, never in logs.
/// </summary>
public static class AuditTrail
{
    private static JsonSerializerOptions Options => StoredJson.Options;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Audited = new();

    /// <summary>One field's change, its values encoded as the audit encodes them.</summary>
    public static FieldChange Change<T>(string field, T? before, T? after) =>
        new(field, before is null ? null : JsonSerializer.Serialize(before, Options), after is null ? null : JsonSerializer.Serialize(after, Options));

    /// <summary>
    /// The fields whose value differs between <paramref name="before"/> and <paramref name="after"/> (either may be
    /// absent), named with <paramref name="prefix"/> (e.g. <c>suitabilityChecks.</c>) when the record sits under a trainee.
    /// </summary>
    public static IReadOnlyList<FieldChange> Diff<T>(T? before, T? after, string prefix = "")
        where T : class
    {
        var changes = new List<FieldChange>();
        foreach (var property in Audited.GetOrAdd(typeof(T), AuditedProperties))
        {
            var old = before is null ? null : JsonSerializer.SerializeToNode(property.GetValue(before), property.PropertyType, Options);
            var now = after is null ? null : JsonSerializer.SerializeToNode(property.GetValue(after), property.PropertyType, Options);
            if (!JsonNode.DeepEquals(old, now))
            {
                changes.Add(new FieldChange(prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name), old?.ToJsonString(Options), now?.ToJsonString(Options)));
            }
        }

        return changes;
    }

    /// <summary>
    /// Writes one history entry for a trainee, in the transaction of the change it records. <paramref name="changeSeq"/> is
    /// the change's number in the provider's sync sequence, which orders the history exactly as the writes committed.
    /// </summary>
    public static Task RecordAsync(UnitOfWork work, Guid traineeId, string ukprn, DateTimeOffset at, long changeSeq, Actor actor,
        AuditAction action, IReadOnlyList<FieldChange> changes, CancellationToken ct) =>
        InsertAsync(work, "trainee_history", "trainee_id, ukprn", "@traineeId, @ukprn", new { traineeId, ukprn }, at, changeSeq, actor, action, changes, ct);

    /// <summary>Writes one history entry for a provider's monthly return, in the transaction of the change it records.</summary>
    public static Task RecordReturnAsync(UnitOfWork work, string ukprn, string month, DateTimeOffset at, long changeSeq, Actor actor,
        AuditAction action, IReadOnlyList<FieldChange> changes, CancellationToken ct) =>
        InsertAsync(work, "return_history", "ukprn, month", "@ukprn, @month", new { ukprn, month }, at, changeSeq, actor, action, changes, ct);

    /// <summary>
    /// A page of a trainee's history, oldest first: the entries after position <paramref name="after"/> (their change_seq,
    /// one per write, in the order the writes committed), <paramref name="take"/> and one more; none for another provider's.
    /// </summary>
    public static async Task<IReadOnlyList<(long Seq, HistoryEntry Entry)>> ReadAsync(UnitOfWork work, string ukprn, Guid traineeId, long after, int take,
        CancellationToken ct) =>
        Entries(await work.Connection.QueryAsync<HistoryRow>(work.Command(
            """
            SELECT h.change_seq, h.occurred_at, h.token_name, h.action, h.changes, h.user_name, h.user_id, h.user_email
            FROM trainee_history h
            JOIN trainees t ON t.id = h.trainee_id
            WHERE t.ukprn = @ukprn AND h.ukprn = @ukprn AND h.trainee_id = @traineeId AND h.change_seq > @after
            ORDER BY h.change_seq, h.id
            LIMIT @limit
            """,
            new { ukprn, traineeId, after, limit = take + 1 },
            ct)));

    /// <summary>A page of a provider's monthly return's history, oldest first, as <see cref="ReadAsync"/>.</summary>
    public static async Task<IReadOnlyList<(long Seq, HistoryEntry Entry)>> ReadReturnAsync(UnitOfWork work, string ukprn, string month, long after, int take,
        CancellationToken ct) =>
        Entries(await work.Connection.QueryAsync<HistoryRow>(work.Command(
            """
            SELECT change_seq, occurred_at, token_name, action, changes, user_name, user_id, user_email FROM return_history
            WHERE ukprn = @ukprn AND month = @month AND change_seq > @after
            ORDER BY change_seq, id
            LIMIT @limit
            """,
            new { ukprn, month, after, limit = take + 1 },
            ct)));

    /// <summary>Writes one history entry for an inspection or a governance change (<paramref name="subject"/>, e.g. <c>inspections/{id}</c>).</summary>
    public static Task RecordGovernanceAsync(UnitOfWork work, string ukprn, string subject, DateTimeOffset at, long changeSeq, Actor actor,
        AuditAction action, IReadOnlyList<FieldChange> changes, CancellationToken ct) =>
        InsertAsync(work, "governance_history", "ukprn, subject", "@ukprn, @subject", new { ukprn, subject }, at, changeSeq, actor, action, changes, ct);

    /// <summary>The whole history of an inspection or a governance change of the provider, oldest first.</summary>
    public static async Task<IReadOnlyList<HistoryEntry>> ReadGovernanceAsync(UnitOfWork work, string ukprn, string subject, CancellationToken ct) =>
        Entries(await work.Connection.QueryAsync<HistoryRow>(work.Command(
            """
            SELECT change_seq, occurred_at, token_name, action, changes, user_name, user_id, user_email FROM governance_history
            WHERE ukprn = @ukprn AND subject = @subject
            ORDER BY change_seq, id
            """,
            new { ukprn, subject }, ct))).Select(e => e.Item2).ToList();

    /// <summary>
    /// One entry into <paramref name="table"/>: what it is about (<paramref name="subject"/>), then when, who, what and which
    /// fields. Held back to the write's next round trip: history is read only by reads of its own.
    /// </summary>
    private static Task InsertAsync(UnitOfWork work, string table, string subjectColumns, string subjectValues, object subject, DateTimeOffset at, long changeSeq,
        Actor actor, AuditAction action, IReadOnlyList<FieldChange> changes, CancellationToken ct)
    {
        work.Placed(changeSeq, table, "change_seq");
        return work.WriteLaterAsync(
            $"""
            INSERT INTO {table} ({subjectColumns}, id, occurred_at, change_seq, token_id, token_name, user_name, user_id, user_email, action, changes)
            VALUES ({subjectValues}, @id, @at, @changeSeq, @tokenId, @tokenName, @userName, @userId, @userEmail, @action, @changes)
            """,
            Entry(subject, at, changeSeq, actor, action, changes), ct);
    }

    /// <summary>One entry's parameters: what it is about (<paramref name="subject"/>), then when, who, what and which fields.</summary>
    private static Dictionary<string, object?> Entry(object subject, DateTimeOffset at, long changeSeq, Actor actor, AuditAction action, IReadOnlyList<FieldChange> changes)
    {
        var parameters = UnitOfWork.ParameterValues(subject);
        parameters["id"] = Guid.CreateVersion7(at);
        parameters["at"] = at;
        parameters["changeSeq"] = changeSeq;
        parameters["tokenId"] = actor.TokenId;
        parameters["tokenName"] = actor.TokenName;
        parameters["userName"] = actor.User?.Name;
        parameters["userId"] = actor.User?.Id;
        parameters["userEmail"] = actor.User?.Email;
        parameters["action"] = action.Name;
        parameters["changes"] = JsonSerializer.Serialize(changes, Options);
        return parameters;
    }

    private static List<(long, HistoryEntry)> Entries(IEnumerable<HistoryRow> rows) =>
        rows.Select(r => (r.ChangeSeq, new HistoryEntry(r.OccurredAt, r.TokenName, r.Action, JsonSerializer.Deserialize<List<FieldChange>>(r.Changes, Options) ?? [],
            r.UserName is null ? null : new SrsUser(r.UserName, r.UserId ?? "", r.UserEmail)))).ToList();

    private static PropertyInfo[] AuditedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && !p.IsDefined(typeof(NotAuditedAttribute)) && p.Name != "EqualityContract")
            .OrderBy(p => p.GetCustomAttribute<JsonPropertyOrderAttribute>()?.Order ?? 0)
            .ToArray();

    private sealed record HistoryRow
    {
        public long ChangeSeq { get; init; }

        public DateTimeOffset OccurredAt { get; init; }

        public string TokenName { get; init; } = "";

        public string Action { get; init; } = "";

        public string Changes { get; init; } = "";

        public string? UserName { get; init; }

        public string? UserId { get; init; }

        public string? UserEmail { get; init; }
    }
}
