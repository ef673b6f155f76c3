using System.ComponentModel.DataAnnotations;
using Dapper;
using Iqts.Api.Assessments;
using Iqts.Api.Bulk;
using Iqts.Api.Placements;
using Iqts.Api.Quality;
using Iqts.Api.Trainees;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Sandbox;

/// <summary><c>Sandbox:*</c>. Enabled, the API is a vendor's sandbox: it makes and clears test data, and says so on every answer.</summary>
public sealed class SandboxOptions
{
    public bool Enabled { get; set; }

    /// <summary>The sandbox is never a live service: enabled with ASPNETCORE_ENVIRONMENT=Production, the API refuses to start.</summary>
    public static void Check(IServiceProvider services)
    {
        if (services.GetRequiredService<IOptions<SandboxOptions>>().Value.Enabled && services.GetRequiredService<IHostEnvironment>().IsProduction())
        {
            throw new OptionsValidationException("Sandbox", typeof(SandboxOptions),
                ["Sandbox:Enabled is true with ASPNETCORE_ENVIRONMENT=Production: the sandbox makes and deletes data, so it never runs as a live service. Set ASPNETCORE_ENVIRONMENT=Sandbox (or Development)."]);
        }
    }
}

/// <summary>What <c>POST /test-data/generate</c> makes.</summary>
/// <param name="Trainees">How many trainees, 1–500.</param>
/// <param name="WithEvidence">Each with its entry evidence, checks, two placements and a plan (C1.1–C1.4, C2.4): eligible, in training.</param>
/// <param name="Awardable">Also a final assessment, so every award rule is met and <c>POST …/award</c> succeeds today (implies withEvidence).</param>
public sealed record GenerateTestDataRequest([property: Required] int? Trainees, bool WithEvidence = false, bool Awardable = false);

/// <summary>What the sandbox made or removed.</summary>
/// <param name="TraineeIds">The trainees made (empty for a clear).</param>
/// <param name="SchoolIds">The schools made for their placements (empty for a clear).</param>
/// <param name="TraineesRemoved">How many trainees a clear removed.</param>
public sealed record TestDataResponse(IReadOnlyList<string> TraineeIds, IReadOnlyList<string> SchoolIds, int TraineesRemoved);

/// <summary>
/// <c>POST /test-data/generate</c>: made-up trainees for the calling provider through the same registration as
/// <c>POST /trainees</c> (<see cref="TestData"/>), all in one unit of work.
/// </summary>
public sealed class GenerateTestData(IDbConnectionFactory db, RegisterWithEvidence register, CreateSchool createSchool, RecordAssessment record, AddModerator addModerator,
    RecordModeration moderate, TimeProvider time)
{
    public const int MaxTrainees = 500;

    public Task<Outcome<TestDataResponse>> RunAsync(string ukprn, GenerateTestDataRequest request, Actor actor, CancellationToken ct) =>
        db.WriteAsync<TestDataResponse>(async work =>
        {
            if (request.Trainees is not (>= 1 and <= MaxTrainees))
            {
                return ApiErrors.Validation("trainees", $"must be between 1 and {MaxTrainees}.");
            }

            // Up to 500 registrations in one write: numbers taken at once rather than a check per trainee at commit.
            work.Serialised = true;
            var today = time.Today();
            // Started ten months ago: placements done two months ago, the final assessment last week, the course ending next month.
            var start = today.AddDays(-300);
            var schools = new List<Guid>();
            for (var k = 0; request.WithEvidence || request.Awardable ? k < 2 : false; k++)
            {
                var school = await createSchool.RunAsync(work, ukprn, TestData.School(k, start), ct);
                if (school.Failed)
                {
                    return school.Error;
                }

                schools.Add(school.Value.SchoolId);
            }

            var trainees = new List<string>();
            var sample = new List<SampledTrainee>();
            var many = new ManyRegistrations();
            for (var i = 0; i < request.Trainees; i++)
            {
                var key = $"TEST-{Guid.CreateVersion7():N}"[..20];
                var registered = await register.RunAsync(work, ukprn, TestData.Trainee(i, key, start, schools), confirmNotDuplicate: true, actor, ct, many);
                if (registered.Failed)
                {
                    return registered.Error;
                }

                many.Kept(registered.Value.Trainee);
                trainees.Add(registered.Value.Trainee.TraineeId.ToString());
                if (request.Awardable)
                {
                    var assessed = await record.RunAsync(work, ukprn, registered.Value.Trainee.TraineeId, TestData.FinalAssessment(today.AddDays(-7)), actor, ct);
                    if (assessed.Failed)
                    {
                        return assessed.Error;
                    }

                    sample.Add(TestData.Agreed(assessed.Value));
                }
            }

            // C3.4: the final assessments count once a recorded exercise covers them; one internal exercise, by a moderator of the provider and one of a school.
            if (sample.Count > 0 && await ModerateAsync(work, ukprn, schools[0], sample, today.AddDays(-6), actor, ct) is { } refusal)
            {
                return refusal;
            }

            return new TestDataResponse(trainees, schools.ConvertAll(s => s.ToString()), 0);
        }, ct);

    private async Task<ApiError?> ModerateAsync(UnitOfWork work, string ukprn, Guid school, List<SampledTrainee> sample, DateOnly heldOn, Actor actor, CancellationToken ct)
    {
        var moderators = new List<Guid>();
        foreach (var moderator in new[] { TestData.Moderator(null), TestData.Moderator(school) })
        {
            var added = await addModerator.RunAsync(work, ukprn, moderator, actor, ct);
            if (added.Failed)
            {
                return added.Error;
            }

            moderators.Add(added.Value.ModeratorId);
        }

        var exercise = new ModerationExerciseDetails { Kind = ModeratorKind.Internal, HeldOn = heldOn, ModeratorIds = moderators, Sample = sample };
        var recorded = await moderate.RunAsync(work, ukprn, exercise, actor, ct);
        return recorded.Failed ? recorded.Error : null;
    }
}

/// <summary>
/// <c>POST /test-data/clear</c>: the calling provider's trainees, everything recorded under them, its schools, returns
/// and batches, deleted in one transaction. Events already sent stay in the provider's event feed.
/// </summary>
public sealed class ClearTestData(IDbConnectionFactory db)
{
    private static readonly string[] UnderTrainees =
        ["trainee_status_changes", "tra_outbox", "awards", "moderation_samples", "assessments", "placement_plans", "placements", "suitability_checks", "qualifications", "trainee_history"];

    private static readonly string[] OfProvider = ["moderations", "moderators", "mentor_meetings", "mentors", "schools", "return_history", "monthly_returns"];

    public Task<Outcome<TestDataResponse>> RunAsync(string ukprn, CancellationToken ct) =>
        db.WriteAsync<TestDataResponse>(async work =>
        {
            foreach (var table in UnderTrainees)
            {
                await work.Connection.ExecuteAsync(work.Command($"DELETE FROM {table} WHERE trainee_id IN (SELECT id FROM trainees WHERE ukprn = @ukprn)", new { ukprn }, ct));
            }

            var removed = await work.Connection.ExecuteAsync(work.Command("DELETE FROM trainees WHERE ukprn = @ukprn", new { ukprn }, ct));
            foreach (var table in OfProvider)
            {
                await work.Connection.ExecuteAsync(work.Command($"DELETE FROM {table} WHERE ukprn = @ukprn", new { ukprn }, ct));
            }

            await work.Connection.ExecuteAsync(work.Command("DELETE FROM batch_rows WHERE batch_id IN (SELECT id FROM batches WHERE ukprn = @ukprn)", new { ukprn }, ct));
            await work.Connection.ExecuteAsync(work.Command("DELETE FROM batches WHERE ukprn = @ukprn", new { ukprn }, ct));
            return new TestDataResponse([], [], removed);
        }, ct);
}

/// <summary>The sandbox: test data made and cleared for the calling provider. 404 unless <c>Sandbox:Enabled</c>.</summary>
[Tags("Sandbox"), Authorize(Policy = Roles.Provider)]
public static class SandboxEndpoints
{
    /// <summary>Make test trainees for the calling provider (sandbox only)</summary>
    /// <remarks>Only where the API runs as a sandbox (Sandbox:Enabled; every answer then carries Iqts-Sandbox: true); 404 route.not_found elsewhere. Up to 500 made-up trainees, registered through the same rules as POST /trainees; withEvidence adds their entry evidence, checks, two placements and a plan; awardable also a final assessment, so the award check passes.</remarks>
    [Example("cohort", "Twenty trainees ready for the award", """{ "trainees": 20, "withEvidence": true, "awardable": true }""")]
    [Post("/test-data/generate"), EndpointName("GenerateTestData"), Problems(400, 404, 413, 415)]
    private static async Task<Results<Ok<TestDataResponse>, ProblemHttpResult>> Generate(
        GenerateTestDataRequest request, [AsParameters] Caller caller, IOptions<SandboxOptions> sandbox, GenerateTestData generate, CancellationToken ct) =>
        sandbox.Value.Enabled ? Answers.Ok(await generate.RunAsync(caller.Ukprn, request, caller.Actor, ct), r => r) : ApiErrors.RouteNotFound().ToResult();

    /// <summary>Remove the calling provider's test data (sandbox only)</summary>
    /// <remarks>Only in a sandbox; 404 route.not_found elsewhere. Deletes the provider's trainees with everything recorded under them, its schools, returns and batches. Events already sent stay in its event feed.</remarks>
    [Post("/test-data/clear"), EndpointName("ClearTestData"), IdempotencyExempt, Problems(404)]
    private static async Task<Results<Ok<TestDataResponse>, ProblemHttpResult>> Clear(
        [AsParameters] Caller caller, IOptions<SandboxOptions> sandbox, ClearTestData clear, CancellationToken ct) =>
        sandbox.Value.Enabled ? Answers.Ok(await clear.RunAsync(caller.Ukprn, ct), r => r) : ApiErrors.RouteNotFound().ToResult();

    /// <summary>Every answer of a sandbox says so, so a response can never be mistaken for live data.</summary>
    public static IApplicationBuilder UseSandboxHeader(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.RequestServices.GetRequiredService<IOptions<SandboxOptions>>().Value.Enabled)
        {
            context.Response.Headers["Iqts-Sandbox"] = "true";
        }

        await next(context);
    });
}
