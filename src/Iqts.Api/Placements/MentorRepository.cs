using Dapper;

namespace Iqts.Api.Placements;

/// <summary>Mentor and mentor-meeting rows, on the caller's unit of work; every query is scoped to one provider.</summary>
public static class MentorRepository
{
    /// <summary>
    /// Mentors and their meetings take their place in one sequence across providers (change_seq is unique in each table),
    /// so a mentor's history, which holds both, reads in the order they were written.
    /// </summary>
    public const string Scope = "mentors";

    private static readonly SqlColumns Columns = SqlColumns.Of<MentorRow>();

    private static readonly SqlColumns MeetingColumns = SqlColumns.Of<MeetingRow>();

    public static async Task<SchoolMentor?> FindAsync(UnitOfWork work, string ukprn, Guid id, CancellationToken ct, bool forUpdate = false) =>
        (await work.Connection.QuerySingleOrDefaultAsync<MentorRow>(work.Command(
            $"SELECT {Columns.Select()} FROM mentors WHERE ukprn = @ukprn AND id = @id{(forUpdate ? work.ForUpdate : "")}", new { ukprn, id }, ct)))?.ToMentor();

    public static async Task<IReadOnlyList<SchoolMentor>> ListAsync(UnitOfWork work, string ukprn, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<MentorRow>(work.Command(
            $"SELECT {Columns.Select()} FROM mentors WHERE ukprn = @ukprn AND change_seq > @after ORDER BY change_seq LIMIT @take",
            new { ukprn, after, take = limit + 1 }, ct))).Select(r => r.ToMentor()).ToList();

    public static Task InsertAsync(UnitOfWork work, SchoolMentor mentor, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO mentors {Columns.InsertValues()}", MentorRow.From(mentor), ct));

    public static Task UpdateAsync(UnitOfWork work, SchoolMentor mentor, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command(
            $"UPDATE mentors SET {Columns.SetAllBut("id", "ukprn", "created_at")} WHERE ukprn = @Ukprn AND id = @Id", MentorRow.From(mentor), ct));

    public static Task InsertMeetingAsync(UnitOfWork work, MentorMeeting meeting, CancellationToken ct) =>
        work.Connection.ExecuteAsync(work.Command($"INSERT INTO mentor_meetings {MeetingColumns.InsertValues()}", MeetingRow.From(meeting), ct));

    public static async Task<MentorMeeting?> MeetingAsync(UnitOfWork work, string ukprn, Guid mentorId, Guid id, CancellationToken ct) =>
        (await work.Connection.QuerySingleOrDefaultAsync<MeetingRow>(work.Command(
            $"SELECT {MeetingColumns.Select()} FROM mentor_meetings WHERE ukprn = @ukprn AND mentor_id = @mentorId AND id = @id", new { ukprn, mentorId, id }, ct)))?.ToMeeting();

    /// <summary>The mentor's meetings in change order (cursor pagination).</summary>
    public static async Task<IReadOnlyList<MentorMeeting>> MeetingsAsync(UnitOfWork work, string ukprn, Guid mentorId, long after, int limit, CancellationToken ct) =>
        (await work.Connection.QueryAsync<MeetingRow>(work.Command(
            $"SELECT {MeetingColumns.Select()} FROM mentor_meetings WHERE ukprn = @ukprn AND mentor_id = @mentorId AND change_seq > @after ORDER BY change_seq LIMIT @take",
            new { ukprn, mentorId, after, take = limit + 1 }, ct))).Select(r => r.ToMeeting()).ToList();

    /// <summary>The provider's mentors (those of <paramref name="only"/> when given) and every meeting's date by mentor: what C2.2 i and iv read.</summary>
    public static async Task<MentoringRecords> RecordsAsync(UnitOfWork work, string ukprn, CancellationToken ct, IReadOnlyCollection<Guid>? only = null)
    {
        // A trainee's placements need only the mentors they name; the evidence read needs all of the provider's.
        var which = only is null ? "" : " AND " + work.Dialect.In("id", "only");
        var meetingsOf = only is null ? "" : " AND " + work.Dialect.In("mentor_id", "only");
        var args = new { ukprn, only = only is null ? null : work.Dialect.Ids(only) };
        var mentors = await work.Connection.QueryAsync<MentorRow>(work.Command($"SELECT {Columns.Select()} FROM mentors WHERE ukprn = @ukprn{which}", args, ct));
        var meetings = await work.Connection.QueryAsync<MeetingDate>(work.Command($"SELECT mentor_id, held_on FROM mentor_meetings WHERE ukprn = @ukprn{meetingsOf}", args, ct));
        return new MentoringRecords(mentors.Select(r => r.ToMentor()).ToDictionary(m => m.MentorId), meetings.ToLookup(m => m.MentorId, m => m.HeldOn));
    }

    private sealed record MeetingDate
    {
        public Guid MentorId { get; init; }

        public DateOnly HeldOn { get; init; }
    }

    private sealed record MentorRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public Guid SchoolId { get; init; }

        public string Name { get; init; } = "";

        public DateOnly? NeedsAssessedOn { get; init; }

        public DateOnly? StandardsPretrainingOn { get; init; }

        public DateOnly? FrameworkPretrainingOn { get; init; }

        public DateOnly? TrainingCompletedOn { get; init; }

        public DateTimeOffset CreatedAt { get; init; }

        public DateTimeOffset UpdatedAt { get; init; }

        public long RowVersion { get; init; }

        public long ChangeSeq { get; init; }

        public SchoolMentor ToMentor() => SharedProperties.Copy<MentorRow, SchoolMentor>(this) with { MentorId = Id };

        public static MentorRow From(SchoolMentor m) => SharedProperties.Copy<SchoolMentor, MentorRow>(m) with { Id = m.MentorId };
    }

    private sealed record MeetingRow
    {
        public Guid Id { get; init; }

        public string Ukprn { get; init; } = "";

        public Guid MentorId { get; init; }

        public DateOnly HeldOn { get; init; }

        public string TraineeIds { get; init; } = "[]";

        public DateTimeOffset CreatedAt { get; init; }

        public long ChangeSeq { get; init; }

        public MentorMeeting ToMeeting() => SharedProperties.Copy<MeetingRow, MentorMeeting>(this) with
        {
            MeetingId = Id,
            TraineeIds = StoredJson.Deserialize<List<Guid>>(TraineeIds),
        };

        public static MeetingRow From(MentorMeeting m) => SharedProperties.Copy<MentorMeeting, MeetingRow>(m) with
        {
            Id = m.MeetingId,
            TraineeIds = StoredJson.Serialize(m.TraineeIds),
        };
    }
}
