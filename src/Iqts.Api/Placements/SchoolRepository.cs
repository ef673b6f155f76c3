using System.Data.Common;
using Dapper;
using Iqts.Api.Audit;
using Iqts.Api.Data;
using Iqts.Api.Errors;

namespace Iqts.Api.Placements;

/// <summary>A row of <c>schools</c>: the risk assessment and partnership agreement as JSON text.</summary>
public sealed record SchoolRow
{
    public static readonly SqlColumns Columns = SqlColumns.Of<SchoolRow>();

    public Guid Id { get; init; }

    public string Ukprn { get; init; } = "";

    public string Name { get; init; } = "";

    public string Country { get; init; } = "";

    public string? City { get; init; }

    public string SchoolType { get; init; } = "";

    public string? RiskAssessment { get; init; }

    public string? PartnershipAgreement { get; init; }

    public DateOnly? RemovedOn { get; init; }

    public string? RemovalReason { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public long RowVersion { get; init; }

    public long ChangeSeq { get; init; }

    public School ToSchool() => new()
    {
        SchoolId = Id,
        Ukprn = Ukprn,
        Name = Name,
        Country = Country,
        City = City,
        SchoolType = EnumText.Parse<SchoolType>(SchoolType),
        RiskAssessment = RiskAssessment is null ? null : StoredJson.Deserialize<RiskAssessment>(RiskAssessment),
        PartnershipAgreement = PartnershipAgreement is null ? null : StoredJson.Deserialize<PartnershipAgreement>(PartnershipAgreement),
        RemovedOn = RemovedOn,
        RemovalReason = EnumText.ParseOrNull<RemovalReason>(RemovalReason),
        CreatedAt = CreatedAt,
        UpdatedAt = UpdatedAt,
        RowVersion = RowVersion,
        ChangeSeq = ChangeSeq,
    };

    public static SchoolRow From(School s) => new()
    {
        Id = s.SchoolId,
        Ukprn = s.Ukprn,
        Name = s.Name,
        Country = s.Country,
        City = s.City,
        SchoolType = EnumText.Name(s.SchoolType!.Value),
        RiskAssessment = s.RiskAssessment is null ? null : StoredJson.Serialize(s.RiskAssessment),
        PartnershipAgreement = s.PartnershipAgreement is null ? null : StoredJson.Serialize(s.PartnershipAgreement),
        RemovedOn = s.RemovedOn,
        RemovalReason = EnumText.NameOrNull(s.RemovalReason),
        CreatedAt = s.CreatedAt,
        UpdatedAt = s.UpdatedAt,
        RowVersion = s.RowVersion,
        ChangeSeq = s.ChangeSeq,
    };
}

/// <summary>
/// The provider's placement schools. Every query names the provider's UKPRN, so another provider's school is not found
/// whatever id is sent; every write takes the next number of the provider's school sync sequence in its transaction.
/// </summary>
public sealed class SchoolRepository(IDbConnectionFactory db, TimeProvider time)
{
    private static readonly string Select = $"SELECT {SchoolRow.Columns.Select()} FROM schools";

    private static string SyncScope(string ukprn) => "schools:" + ukprn;

    public async Task<School?> FindAsync(string ukprn, Guid schoolId, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await FindAsync(connection, null, ukprn, schoolId, "", ct);
    }

    public static async Task<School?> FindAsync(DbConnection connection, DbTransaction? tx, string ukprn, Guid schoolId, string forUpdate, CancellationToken ct) =>
        (await connection.QuerySingleOrDefaultAsync<SchoolRow>(new CommandDefinition(
            $"{Select} WHERE ukprn = @ukprn AND id = @schoolId{forUpdate}", new { ukprn, schoolId }, tx, cancellationToken: ct)))?.ToSchool();

    public async Task<School> CreateAsync(string ukprn, SchoolDetails details, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var now = time.UtcNowMicros();
        var school = new School(details)
        {
            SchoolId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = await ChangeSequence.NextAsync(connection, tx, SyncScope(ukprn), ct),
        };
        await connection.ExecuteAsync(new CommandDefinition($"INSERT INTO schools {SchoolRow.Columns.InsertValues()}", SchoolRow.From(school), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return school;
    }

    /// <summary>Changes a school in one transaction: read and locked, checked against If-Match, <paramref name="decide"/> gives the next state.</summary>
    public async Task<Outcome<School>> ChangeAsync(string ukprn, Guid schoolId, VersionCheck ifMatch, Func<School, Outcome<School>> decide, CancellationToken ct)
    {
        await using var connection = await db.OpenForWriteAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var seq = await ChangeSequence.NextAsync(connection, tx, SyncScope(ukprn), ct);
        var current = await FindAsync(connection, tx, ukprn, schoolId, db.Dialect.ForUpdate, ct);
        if (current is null)
        {
            return ApiErrors.NotFound("school");
        }

        if (!ifMatch.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        var decision = decide(current);
        if (decision.Failed || AuditTrail.Diff(current, decision.Value).Count == 0)
        {
            return decision.Failed ? decision : current;
        }

        var next = decision.Value with { UpdatedAt = time.UtcNowMicros(), RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE schools SET {SchoolRow.Columns.SetAllBut("id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id",
            SchoolRow.From(next), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return next;
    }

    /// <summary>The provider's schools after the cursor position, in change order, one extra row to tell whether more follow.</summary>
    public async Task<IReadOnlyList<School>> ListAsync(string ukprn, long after, int limit, DateTimeOffset? updatedSince, CancellationToken ct)
    {
        var where = "ukprn = @ukprn AND change_seq > @after" + (updatedSince is null ? "" : " AND updated_at >= @updatedSince");
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<SchoolRow>(new CommandDefinition(
            $"{Select} WHERE {where} ORDER BY change_seq LIMIT @take", new { ukprn, after, updatedSince, take = limit + 1 }, cancellationToken: ct));
        return rows.Select(r => r.ToSchool()).ToList();
    }
}
