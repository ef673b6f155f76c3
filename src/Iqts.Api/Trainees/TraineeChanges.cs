
namespace Iqts.Api.Trainees;

/// <summary>
/// One trainee, locked for a change inside a unit of work, with the change's time. <see cref="ChangeSeq"/>, its new place in
/// the sync feed, is taken when the change is saved, unless a rule over the provider's trainees took it earlier
/// (<see cref="TraineeChanges.SerialiseAsync"/>).
/// </summary>
public sealed record TraineeChange(UnitOfWork Work, DateTimeOffset At, Trainee Current, long? ChangeSeq = null);

/// <summary>
/// What a participant hears once a trainee's new version and its history entry are written. <see cref="Before"/> is null
/// when the trainee was just registered; <see cref="EffectiveOn"/> is the date a status change took effect when the
/// change says so itself (an award's date), otherwise the record's own date applies.
/// </summary>
public sealed record TraineeChanged(UnitOfWork Work, Trainee? Before, Trainee After, AuditAction Action, DateTimeOffset At, DateOnly? EffectiveOn);

/// <summary>
/// What another feature does when a trainee changes, inside the change's own transaction: committed together or not at
/// all. Registered in DI; Trainees names none of them (ADR 0008). A participant that derives nothing onto the trainee
/// implements only <see cref="RecordAsync"/>.
/// </summary>
public interface ITraineeChangeParticipant
{
    /// <summary>Before the new version is written: what this feature derives onto the trainee (its eligibility, say).</summary>
    Task<Trainee> PrepareAsync(UnitOfWork work, Trainee? before, Trainee proposed, AuditAction action, CancellationToken ct) => Task.FromResult(proposed);

    /// <summary>After the new version and its history entry are written.</summary>
    Task RecordAsync(TraineeChanged changed, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>
/// The trainee's side of every write to a trainee or to anything recorded under it: the trainee read and locked by UKPRN
/// and id (so another provider's trainee is simply not found, and writers of one trainee take turns); at the end the
/// provider's next change number, the trainee's new version, one history entry and the participants, all in the
/// operation's unit of work. The change number is taken as late as it can be (ADR 0007, issue 23): its row stays locked
/// until commit, which serialises the provider's writers, so only the writes that follow it wait in that queue; the
/// reads, rules and participants' verdicts before it run side by side.
/// </summary>
public sealed class TraineeChanges(IEnumerable<ITraineeChangeParticipant> participants, TimeProvider time)
{
    private readonly ITraineeChangeParticipant[] _participants = participants.ToArray();

    public static string SyncScope(string ukprn) => "trainees:" + ukprn;

    /// <summary>
    /// The provider's next change number: <paramref name="provisional"/> unless a rule that counts the provider's trainees
    /// needs its writers queued from now (<see cref="ChangeSequence.NextAsync"/>).
    /// </summary>
    public static Task<long> NextNumberAsync(UnitOfWork work, string ukprn, CancellationToken ct, bool provisional = true) =>
        ChangeSequence.NextAsync(work, SyncScope(ukprn), ct, provisional);

    /// <summary>
    /// Begins a change. Unless <paramref name="whatChanges"/> is null, an awarded trainee refuses it (<c>trainee.awarded</c>):
    /// its evidence, placements and assessments are final. A change of the trainee's own record passes its
    /// <paramref name="ifMatch"/> (412 when stale).
    /// </summary>
    public async Task<Outcome<TraineeChange>> BeginAsync(UnitOfWork work, string ukprn, Guid traineeId, string? whatChanges, CancellationToken ct,
        VersionCheck? ifMatch = null)
    {
        var current = await TraineeRepository.FindAsync(work, ukprn, traineeId, ct, forUpdate: true);
        if (current is null)
        {
            return ApiErrors.NotFound("trainee");
        }

        if (whatChanges is not null && current.Status == TraineeStatus.Awarded)
        {
            return ApiErrors.TraineeAwarded(whatChanges);
        }

        if (ifMatch is { } check && !check.Allows(current.RowVersion))
        {
            return ApiErrors.PreconditionFailed();
        }

        return new TraineeChange(work, time.UtcNowMicros(), current);
    }

    /// <summary>
    /// Takes the change's number now, for a rule that counts the provider's trainees (the cap): from here to commit no
    /// other writer of the provider can change what it counted.
    /// </summary>
    public async Task<TraineeChange> SerialiseAsync(TraineeChange change, CancellationToken ct) =>
        change.ChangeSeq is null ? change with { ChangeSeq = await NextNumberAsync(change.Work, change.Current.Ukprn, ct, provisional: false) } : change;

    /// <summary>
    /// Writes a newly registered trainee (its change number and times already on it), its history entry and the
    /// participants' part; null, writing nothing, when the provider's id turns out taken. With
    /// <paramref name="insertLater"/> the trainee's row is held back with the writes that follow it
    /// (<see cref="UnitOfWork.WriteLaterAsync"/>): only in a serialised unit that admitted it against what it holds in
    /// memory (<see cref="ManyRegistrations"/>: the provider's change counter held, no other registration can take its id),
    /// and whose later statements read nothing of it.
    /// </summary>
    public async Task<Trainee?> CreateAsync(UnitOfWork work, Trainee trainee, Actor actor, CancellationToken ct, bool insertLater = false)
    {
        foreach (var participant in _participants)
        {
            trainee = await participant.PrepareAsync(work, null, trainee, AuditActions.Created, ct);
        }

        if (insertLater && work.Serialised)
        {
            await TraineeRepository.InsertLaterAsync(work, trainee, ct);
        }
        else if (!await TraineeRepository.InsertAsync(work, trainee, ct))
        {
            return null;
        }

        await RecordAsync(new TraineeChanged(work, null, trainee, AuditActions.Created, trainee.CreatedAt, null), actor, work.Rehearsal ? [] : AuditTrail.Diff(null, trainee), ct);
        return trainee;
    }

    /// <summary>
    /// Writes <paramref name="next"/> as the trainee's new version, in its new place in the sync feed, with one history
    /// entry of <paramref name="action"/>: <paramref name="recorded"/> (what the feature changed under the trainee) and the
    /// trainee's own changed fields. A change that changes nothing writes nothing and returns the trainee as it was.
    /// </summary>
    public async Task<Trainee> SaveAsync(TraineeChange change, Trainee next, Actor actor, AuditAction action, IReadOnlyList<FieldChange> recorded, CancellationToken ct,
        DateOnly? effectiveOn = null)
    {
        foreach (var participant in _participants)
        {
            next = await participant.PrepareAsync(change.Work, change.Current, next, action, ct);
        }

        return await WriteAsync(change, next, actor, action, recorded, effectiveOn, ct);
    }

    /// <summary><see cref="SaveAsync"/> once the participants have prepared <paramref name="next"/>.</summary>
    private async Task<Trainee> WriteAsync(TraineeChange change, Trainee next, Actor actor, AuditAction action, IReadOnlyList<FieldChange> recorded,
        DateOnly? effectiveOn, CancellationToken ct)
    {
        var (work, current) = (change.Work, change.Current);
        IReadOnlyList<FieldChange> changes = [.. recorded, .. AuditTrail.Diff(current, next)];
        if (changes.Count == 0)
        {
            return current;
        }

        // A provisional number on PostgreSQL: the provider's other writers wait only for this write's commit.
        var seq = change.ChangeSeq ?? await NextNumberAsync(work, current.Ukprn, ct);
        var saved = next with { UpdatedAt = change.At, RowVersion = current.RowVersion + 1, ChangeSeq = seq };
        await TraineeRepository.UpdateAsync(work, saved, ct);
        await RecordAsync(new TraineeChanged(work, current, saved, action, change.At, effectiveOn), actor, changes, ct);
        return saved;
    }

    /// <summary>
    /// A change to a record kept outside the trainee that a participant reads (a moderation exercise that samples it):
    /// the trainee is written, in a new place in the sync feed with a history entry of <paramref name="action"/>, only if
    /// the award check it derives changed; otherwise nothing is written.
    /// </summary>
    public async Task<Trainee> RefreshAsync(TraineeChange change, Actor actor, AuditAction action, CancellationToken ct)
    {
        var (work, current) = (change.Work, change.Current);
        var next = current;
        foreach (var participant in _participants)
        {
            next = await participant.PrepareAsync(work, current, next, action, ct);
        }

        // Prepared once: the write that follows is SaveAsync's without preparing again (the award check read twice).
        return next.AwardCheck == current.AwardCheck
            ? current
            : await WriteAsync(change, next, actor, action, [AuditTrail.Change("awardCheck", current.AwardCheck, next.AwardCheck)], null, ct);
    }

    /// <summary>
    /// <see cref="RefreshAsync"/> for each of the provider's <paramref name="trainees"/> once, in id order (so two writes
    /// that share trainees lock them in the same order); an id that is not the provider's trainee is skipped.
    /// </summary>
    public async Task RefreshAllAsync(UnitOfWork work, string ukprn, IEnumerable<Guid> trainees, Actor actor, AuditAction action, CancellationToken ct)
    {
        foreach (var trainee in trainees.Distinct().Order())
        {
            var change = await BeginAsync(work, ukprn, trainee, whatChanges: null, ct);
            if (!change.Failed)
            {
                await RefreshAsync(change.Value, actor, action, ct);
            }
        }
    }

    /// <summary>
    /// The change's history entry and the participants' records. Not in a rehearsal (a batch's dry run), which is rolled
    /// back whatever happens: what they write (history, events, the TRA outbox, the status log, the award feed) no rule
    /// reads, so leaving it out changes no answer and makes the dry run faster than the real one.
    /// </summary>
    private async Task RecordAsync(TraineeChanged changed, Actor actor, IReadOnlyList<FieldChange> changes, CancellationToken ct)
    {
        if (changed.Work.Rehearsal)
        {
            return;
        }

        var after = changed.After;
        await AuditTrail.RecordAsync(changed.Work, after.TraineeId, after.Ukprn, changed.At, after.ChangeSeq, actor, changed.Action, changes, ct);
        foreach (var participant in _participants)
        {
            await participant.RecordAsync(changed, ct);
        }
    }
}
