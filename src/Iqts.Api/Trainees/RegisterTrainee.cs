using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

/// <summary>
/// <c>POST /trainees</c>: every field's rule, then the admission rules (the cap and duplicates), then the trainee with its
/// history entry and whatever the participants do for a new trainee (the TRA's TRN request). The admission rules must
/// see the provider's registrations settled: on SQLite, and in a batch, the provider's change number is taken first and
/// queues its other writers; on PostgreSQL the number is provisional and they are checked again at commit, once queued.
/// Many registrations in one unit (a batch) read what admission compares once, through <see cref="ManyRegistrations"/>;
/// there a caller whose unit reads nothing of the trainee afterwards may have its insert held back with the unit's other
/// writes (<c>insertLater</c>, <see cref="TraineeChanges.CreateAsync"/>).
/// </summary>
public sealed class RegisterTrainee(IDbConnectionFactory db, TraineeChanges changes, ReferenceDataSets reference, TimeProvider time)
{
    public Task<Outcome<Trainee>> RunAsync(string ukprn, TraineeRegistration request, bool confirmNotDuplicate, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, request, confirmNotDuplicate, actor, ct), ct);

    public async Task<Outcome<Trainee>> RunAsync(UnitOfWork work, string ukprn, TraineeRegistration request, bool confirmNotDuplicate, Actor actor, CancellationToken ct,
        ManyRegistrations? many = null, bool insertLater = false)
    {
        var registration = TraineeRules.Register(request, reference, time.Today());
        if (registration.Failed)
        {
            return registration.Error;
        }

        var seq = await TraineeChanges.NextNumberAsync(work, ukprn, ct);
        var now = time.UtcNowMicros();
        var trainee = new Trainee(registration.Value)
        {
            TraineeId = Guid.CreateVersion7(now),
            Ukprn = ukprn,
            ProviderTraineeId = request.ProviderTraineeId,
            Trn = request.Trn,
            Status = TraineeStatus.Registered,
            // No evidence yet: every criterion waits for it (the entry criteria over nothing are incomplete).
            Eligibility = EligibilityResult.Incomplete,
            CreatedAt = now,
            UpdatedAt = now,
            RowVersion = 1,
            ChangeSeq = seq,
        };
        var admitted = many is null
            ? await AdmitAsync(work, trainee, confirmNotDuplicate, ct)
            : Admit(trainee, confirmNotDuplicate, await many.AdmissionAsync(work, trainee, candidates: !confirmNotDuplicate, ct));
        if (admitted.Failed && UnitOfWork.IsProvisional(seq))
        {
            // Read unqueued, statement by statement under READ COMMITTED: a registration committed between two of them shows
            // half of itself (its person seen, its SRS id not). A refusal is given as read once queued behind the provider's
            // other registrations (a number taken at once), where every statement sees the same of them.
            trainee = trainee with { ChangeSeq = await TraineeChanges.NextNumberAsync(work, ukprn, ct, provisional: false) };
            admitted = await AdmitAsync(work, trainee, confirmNotDuplicate, ct);
        }

        if (admitted.Failed)
        {
            return admitted;
        }

        if (UnitOfWork.IsProvisional(trainee.ChangeSeq))
        {
            // A provisional number (PostgreSQL): the provider's other registrations are not queued behind this one until
            // commit, so the admission rules are checked again then, over what they committed meanwhile.
            var (sql, parameters) = TraineeRepository.AdmissionQuery(trainee, candidates: !confirmNotDuplicate);
            work.CheckAtCommit(sql, parameters, async results =>
                Admit(trainee, confirmNotDuplicate, await TraineeRepository.ReadAdmissionAsync(results, candidates: !confirmNotDuplicate)).Error);
        }

        // Not written when a registration committed meanwhile took the provider's id: admission now says so.
        return await changes.CreateAsync(work, admitted.Value, actor, ct, insertLater && many is not null) is { } created
            ? created
            : (await AdmitAsync(work, trainee, confirmNotDuplicate, ct)).Error ?? throw new InvalidOperationException("The provider's id was taken, then freed.");
    }

    /// <summary>
    /// The admission rules over the provider's trainees as stored (the trainee itself left out). A caller who confirmed it
    /// is a different person is not compared with anyone (and the candidates are not read).
    /// </summary>
    private static async Task<Outcome<Trainee>> AdmitAsync(UnitOfWork work, Trainee trainee, bool confirmNotDuplicate, CancellationToken ct) =>
        Admit(trainee, confirmNotDuplicate, await TraineeRepository.AdmissionAsync(work, trainee, candidates: !confirmNotDuplicate, ct));

    private static Outcome<Trainee> Admit(Trainee trainee, bool confirmNotDuplicate,
        (Providers.Provider? Provider, Guid? Existing, IReadOnlyList<Trainee> Candidates, int Starting) read) =>
        TraineeRules.Admit(trainee, read.Provider, read.Existing, read.Candidates, read.Starting, confirmNotDuplicate);
}
