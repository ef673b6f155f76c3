using Iqts.Api.Providers;

namespace Iqts.Api.Trainees;

/// <summary>
/// What the admission rules read, for many registrations of one provider in one serialised unit of work (a batch, the
/// sandbox's generator): the provider and what the rules compare of its stored trainees, read once when the first
/// registration is admitted (the unit then holds the provider's change counter, so no registration of the provider
/// commits until it does), then each registration the caller keeps, added here. A row's admission then reads nothing
/// but a likely duplicate's full record, and only that of one stored before the unit began: the unit's own are kept here,
/// their rows perhaps still held back with its writes. Per-row lookups gave the same answers, but on PostgreSQL each
/// scanned every row the batch had written so far whenever the planner had no statistics for the provider (a new
/// provider, the batch's own rows uncommitted): it estimated one row for <c>ukprn = $1</c> and chose an index on the
/// provider alone.
/// </summary>
public sealed class ManyRegistrations
{
    private readonly Dictionary<string, Guid> _byProviderId = new(StringComparer.Ordinal);
    private readonly Dictionary<(DateOnly Born, int Year), List<Guid>> _byBirthAndYear = [];
    private readonly Dictionary<int, int> _starting = [];
    private readonly Dictionary<Guid, Trainee> _kept = [];
    private string? _ukprn;
    private Provider? _provider;

    /// <summary>What <see cref="TraineeRepository.AdmissionAsync"/> reads, for <paramref name="trainee"/> (not yet kept).</summary>
    public async Task<(Provider? Provider, Guid? Existing, IReadOnlyList<Trainee> Candidates, int Starting)> AdmissionAsync(UnitOfWork work,
        Trainee trainee, bool candidates, CancellationToken ct)
    {
        if (_ukprn is null)
        {
            _provider = await ProviderRepository.FindAsync(work, trainee.Ukprn, ct);
            foreach (var key in await TraineeRepository.AdmissionKeysAsync(work, trainee.Ukprn, ct))
            {
                Add(key.Id, key.ProviderTraineeId, key.DateOfBirth, key.AcademicYear);
            }

            _ukprn = trainee.Ukprn;
        }
        else if (_ukprn != trainee.Ukprn)
        {
            throw new InvalidOperationException("One set of registrations is one provider's.");
        }

        var existing = _byProviderId.TryGetValue(trainee.ProviderTraineeId, out var id) ? id : (Guid?)null;
        // Those this unit registered come from memory (their rows may still be held back with its writes), the others from
        // the database; in id order, as the read gives them (a Guid's order is its text's, as the databases order them).
        IReadOnlyList<Trainee> sameBirth = [];
        if (candidates && _byBirthAndYear.TryGetValue((trainee.DateOfBirth!.Value, trainee.AcademicYear), out var ids))
        {
            var stored = ids.Where(id => !_kept.ContainsKey(id)).ToList();
            sameBirth = [.. ids.Where(_kept.ContainsKey).Select(id => _kept[id])
                .Concat(stored.Count > 0 ? await TraineeRepository.ManyAsync(work, trainee.Ukprn, stored, ct) : [])
                .OrderBy(t => t.TraineeId)];
        }

        // As the statement's count: 0 for a provider DfE lets exceed the cap, whose count would decide nothing.
        var starting = _provider?.MayExceedTraineeCap == true ? 0 : _starting.GetValueOrDefault(trainee.AcademicYear);
        return (_provider, existing, sameBirth, starting);
    }

    /// <summary>
    /// A registration the unit keeps (its savepoint, if any, released): the next ones are admitted against it. Before the
    /// first admission nothing is noted: the read then finds it among the unit's rows.
    /// </summary>
    public void Kept(Trainee trainee)
    {
        if (_ukprn is not null)
        {
            _kept[trainee.TraineeId] = trainee;
            Add(trainee.TraineeId, trainee.ProviderTraineeId, trainee.DateOfBirth!.Value, trainee.AcademicYear);
        }
    }

    private void Add(Guid id, string providerTraineeId, DateOnly born, int year)
    {
        _byProviderId[providerTraineeId] = id;
        if (!_byBirthAndYear.TryGetValue((born, year), out var ids))
        {
            _byBirthAndYear[(born, year)] = ids = [];
        }

        ids.Add(id);
        _starting[year] = _starting.GetValueOrDefault(year) + 1;
    }
}
