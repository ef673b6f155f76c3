using System.Globalization;
using Iqts.Api.Audit;
using Iqts.Api.Providers;
using Iqts.Api.Trainees;

namespace Iqts.Api.Cli;

/// <summary>
/// <c>seed --ukprn 1NNNNNNN --trainees N</c>: demo and benchmark data. Registers the provider (approved, allowed
/// over the cap) if it is missing and N made-up trainees through the same repository path as the API.
/// </summary>
public static class Seed
{
    public static async Task<int> RunAsync(IServiceProvider services, string ukprn, int count, TextWriter output)
    {
        var providers = services.GetRequiredService<ProviderRepository>();
        if (await providers.FindAsync(ukprn, CancellationToken.None) is null)
        {
            await providers.CreateAsync(ukprn, new ProviderDetails
            {
                Name = $"Seeded provider {ukprn}",
                ApprovalStatus = ApprovalStatus.Approved,
                InspectionGrade = 1,
                InspectionDate = new DateOnly(2024, 1, 10),
                MayExceedTraineeCap = true,
            }, CancellationToken.None);
        }

        var trainees = services.GetRequiredService<TraineeRepository>();
        var actor = new Actor(Guid.Empty, "seed");
        var countries = new[] { "IN", "AE", "NG", "ES", "MY", "CN", "ZA", "BR" };
        var created = 0;
        for (var i = 0; i < count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"SEED-{ukprn}-{Guid.NewGuid():N}");
            var start = new DateOnly(2023 + (i % 3), 9, 1);
            var request = new CreateTraineeRequest
            {
                ProviderTraineeId = key,
                FirstNames = $"Seed {i}",
                LastName = $"Trainee{i % 997}",
                DateOfBirth = new DateOnly(1980 + (i % 20), 1 + (i % 12), 1 + (i % 28)),
                Email = $"{key.ToLowerInvariant()}@example.org",
                Sex = Sex.PreferNotToSay,
                Nationality = "IN",
                TrainingCountry = countries[i % countries.Length],
                FirstLanguage = "en",
                TeachingLanguage = "en",
                YearsOfTeachingExperience = i % 15,
                ReasonForIqts = IqtsReason.CareerProgression,
                HighestQualificationLevel = QualificationLevel.BachelorsDegree,
                AgeRange = "11-19",
                AgeRangePhase = AgePhase.Secondary,
                Subjects = ["100403"],
                StudyMode = StudyMode.FullTime,
                StartDate = start,
                ExpectedEndDate = start.AddMonths(10),
            };
            var result = await trainees.CreateAsync(ukprn, request, confirmNotDuplicate: true, actor, CancellationToken.None);
            if (!result.Failed)
            {
                created++;
            }
        }

        output.WriteLine($"Seeded {created} trainees for provider {ukprn}.");
        return created == count ? 0 : 1;
    }
}
