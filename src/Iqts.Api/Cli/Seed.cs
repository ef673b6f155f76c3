using System.Globalization;
using Iqts.Api.Governance;
using Iqts.Api.Placements;
using Iqts.Api.Providers;
using Iqts.Api.Reports;
using Iqts.Api.Sandbox;
using Iqts.Api.Trainees;

namespace Iqts.Api.Cli;

/// <summary>
/// <c>seed --ukprn 1NNNNNNN --trainees N [--providers P] [--reports]</c>: demo and benchmark data. Registers the
/// provider (approved, allowed over the cap) if it is missing and N made-up trainees through the same operations as
/// the API, so nothing is stored that the API would refuse (the sandbox's generator, <see cref="TestData"/>); with <c>--providers</c>, P providers from that UKPRN on, N trainees each. With <c>--reports</c> it also gives
/// each provider two schools, each trainee a placement, one in ten a deferral and one in twenty-five a withdrawal, and
/// each provider its return for last month: what DfE's monthly report counts.
/// </summary>
public static class Seed
{
    public static async Task<int> RunAsync(IServiceProvider services, string firstUkprn, int count, int providerCount, bool reports, TextWriter output)
    {
        var failed = 0;
        for (var p = 0; p < providerCount; p++)
        {
            var ukprn = (long.Parse(firstUkprn, CultureInfo.InvariantCulture) + p).ToString(CultureInfo.InvariantCulture);
            var trainees = await SeedProviderAsync(services, ukprn, count, output);
            failed += count - trainees.Count;
            failed += await SeedInspectionAsync(services, ukprn, output);
            if (reports)
            {
                failed += await SeedReportDataAsync(services, ukprn, trainees);
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static async Task<IReadOnlyList<Trainee>> SeedProviderAsync(IServiceProvider services, string ukprn, int count, TextWriter output)
    {
        var db = services.GetRequiredService<IDbConnectionFactory>();
        if (await db.ReadAsync(work => ProviderRepository.FindAsync(work, ukprn, CancellationToken.None), CancellationToken.None) is null)
        {
            await services.GetRequiredService<RegisterProvider>().RunAsync(
                new CreateProviderRequest(ukprn, $"Seeded provider {ukprn}", ApprovalStatus.Approved, 1, new DateOnly(2024, 1, 10), true), "seed", CancellationToken.None);
        }

        var register = services.GetRequiredService<RegisterTrainee>();
        var actor = new Actor(Guid.Empty, "seed");
        var created = new List<Trainee>();
        for (var i = 0; i < count; i++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"SEED-{ukprn}-{Guid.NewGuid():N}");
            var request = TestData.Trainee(i, key, new DateOnly(2023 + (i % 3), 9, 1));
            var result = await register.RunAsync(ukprn, request, confirmNotDuplicate: true, actor, CancellationToken.None);
            if (!result.Failed)
            {
                created.Add(result.Value);
            }
        }

        output.WriteLine($"Seeded {created.Count} trainees for provider {ukprn}.");
        return created;
    }

    /// <summary>
    /// A seeded inspectorate (approved for three years from a year ago) and, for a provider with no inspection yet, DfE's
    /// allocation of its first in the current term, through the same operations as the API; the number that failed.
    /// </summary>
    private static async Task<int> SeedInspectionAsync(IServiceProvider services, string ukprn, TextWriter output)
    {
        var db = services.GetRequiredService<IDbConnectionFactory>();
        var today = services.GetRequiredService<TimeProvider>().Today();
        const string name = "Seeded inspectorate";
        var inspectorate = await db.ReadAsync(work => InspectorateRepository.FindByNameAsync(work, name, CancellationToken.None), CancellationToken.None)
            ?? (await services.GetRequiredService<CreateInspectorate>().RunAsync(
                new InspectorateDetails { Name = name, ApprovedFrom = today.AddYears(-1), ApprovedTo = today.AddYears(2).AddDays(-1) }, CancellationToken.None)).Value;
        if (inspectorate is null)
        {
            return 1;
        }

        if ((await db.ReadAsync(work => InspectionRepository.OfProviderAsync(work, ukprn, CancellationToken.None), CancellationToken.None)).Count > 0)
        {
            return 0;
        }

        var booked = await services.GetRequiredService<BookInspection>().RunAsync(
            new BookInspectionRequest(ukprn, inspectorate.InspectorateId, Term.Of(today).ToString()), providerScope: null, new Actor(Guid.Empty, "seed"), CancellationToken.None);
        output.WriteLine(booked.Failed ? $"No inspection seeded for {ukprn}: {booked.Error.Detail}" : $"Seeded an inspection of {ukprn} in {booked.Value.Term} by {name}.");
        return booked.Failed ? 1 : 0;
    }

    /// <summary>Schools, placements, deferrals, withdrawals and last month's return, through the API's repositories and rules; the number that failed.</summary>
    private static async Task<int> SeedReportDataAsync(IServiceProvider services, string ukprn, IReadOnlyList<Trainee> trainees)
    {
        var actor = new Actor(Guid.Empty, "seed");
        var today = services.GetRequiredService<TimeProvider>().Today();
        var createSchool = services.GetRequiredService<CreateSchool>();
        var types = Enum.GetValues<SchoolType>();
        var schoolIds = new List<Guid>();
        for (var k = 0; k < 2; k++)
        {
            var school = await createSchool.RunAsync(ukprn, new SchoolDetails
            {
                Name = $"Seeded school {ukprn}-{k}",
                Country = "AE",
                SchoolType = types[(int)(long.Parse(ukprn, CultureInfo.InvariantCulture) + k) % types.Length],
                RiskAssessment = new RiskAssessment(new DateOnly(2023, 1, 10), true, true, true, true, RiskOutcome.Suitable),
            }, CancellationToken.None);
            schoolIds.Add(school.Value.SchoolId);
        }

        var addPlacement = services.GetRequiredService<AddPlacement>();
        var changeStatus = services.GetRequiredService<ChangeTraineeStatus>();
        var failed = 0;
        for (var i = 0; i < trainees.Count; i++)
        {
            var t = trainees[i];
            var start = t.StartDate!.Value;
            var request = new PlacementDetails
            {
                SchoolId = schoolIds[i % 2].ToString(),
                StartDate = start.AddDays(14),
                EndDate = start.AddDays(14 + 90),
                Days = 50,
                Mentor = new Mentor($"Mentor {i}", start),
            };
            var placed = await addPlacement.RunAsync(ukprn, t.TraineeId, request, actor, CancellationToken.None);
            Outcome<Trainee> changed = t;
            if (i % 10 == 3)
            {
                changed = await changeStatus.DeferAsync(ukprn, t.TraineeId, VersionCheck.Any, new DeferTraineeRequest(start.AddMonths(2), "Seeded deferral"), actor,
                    CancellationToken.None);
            }
            else if (i % 25 == 7)
            {
                changed = await changeStatus.WithdrawAsync(ukprn, t.TraineeId, VersionCheck.Any,
                    new WithdrawTraineeRequest(start.AddMonths(3), WithdrawalTrigger.Trainee, ["financial_problems"], null, false, null), actor, CancellationToken.None);
            }

            failed += (placed.Failed ? 1 : 0) + (changed.Failed ? 1 : 0);
        }

        var lastMonth = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        var returned = await services.GetRequiredService<SubmitReturn>().RunAsync(ukprn, ReportRules.MonthText(lastMonth), VersionCheck.Any, new MonthlyReturnDetails
        {
            ExpressionsOfInterest = 40,
            Applications = 12,
            CandidatesInterviewed = 8,
            PlacedOnReserveList = 1,
            OfferedDeferredPlace = 1,
            OfferedAlternativeCourse = 0,
            TraineeFeedback = new TraineeFeedback(10, 9),
        }, actor, CancellationToken.None);
        return failed + (returned.Failed ? 1 : 0);
    }
}
