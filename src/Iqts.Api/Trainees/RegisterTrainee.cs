using Iqts.Api.ReferenceData;

namespace Iqts.Api.Trainees;

/// <summary>
/// <c>POST /trainees</c>: every field's rule, then under the provider's change number (which serialises its writers, so
/// the cap and duplicate checks see a settled count) the admission rules, then the trainee with its history entry and
/// whatever the participants do for a new trainee (the TRA's TRN request).
/// </summary>
public sealed class RegisterTrainee(IDbConnectionFactory db, TraineeChanges changes, ReferenceDataSets reference, TimeProvider time)
{
    public Task<Outcome<Trainee>> RunAsync(string ukprn, TraineeRegistration request, bool confirmNotDuplicate, Actor actor, CancellationToken ct) =>
        db.WriteAsync(work => RunAsync(work, ukprn, request, confirmNotDuplicate, actor, ct), ct);

    public async Task<Outcome<Trainee>> RunAsync(UnitOfWork work, string ukprn, TraineeRegistration request, bool confirmNotDuplicate, Actor actor, CancellationToken ct)
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
        // A caller who confirmed it is a different person is not compared with anyone (and the candidates are not read).
        var (provider, existing, candidates) = await TraineeRepository.AdmissionAsync(work, ukprn, trainee.ProviderTraineeId, trainee.DateOfBirth!.Value,
            trainee.AcademicYear, candidates: !confirmNotDuplicate, ct);
        var admitted = TraineeRules.Admit(trainee,
            provider,
            existing,
            candidates,
            // Not counted for a provider DfE lets exceed the cap: the count would decide nothing, and it costs a scan of
            // the year's trainees while the provider's other writers wait (half the registration rate of a large provider).
            provider?.MayExceedTraineeCap == true ? 0 : await TraineeRepository.CountStartingAsync(work, ukprn, trainee.AcademicYear, ct),
            confirmNotDuplicate);
        return admitted.Failed ? admitted : await changes.CreateAsync(work, admitted.Value, actor, ct);
    }
}
