namespace Iqts.Api.Trainees;

/// <summary>A read of what lies under one of the provider's trainees (its evidence, placements, assessments …).</summary>
public static class TraineeReads
{
    /// <summary>
    /// The trainee checked to be the provider's, then <paramref name="read"/> on the same connection; null when it is not
    /// the provider's, which the caller answers 404 "trainee", exactly as for an unknown id.
    /// </summary>
    public static Task<Found<T>?> UnderTraineeAsync<T>(this IDbConnectionFactory db, string ukprn, Guid traineeId, Func<UnitOfWork, Task<T>> read, CancellationToken ct) =>
        db.ReadAsync(async work => await TraineeRepository.ExistsAsync(work, ukprn, traineeId, ct) ? new Found<T>(await read(work)) : null, ct);
}
