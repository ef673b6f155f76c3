using System.Net;
using System.Text.Json;
using System.Net.Http.Json;
using Iqts.Api.Bulk;
using Iqts.Api.Events;
using Iqts.Api.Placements;
using Iqts.Api.Audit;
using Iqts.Api.Governance;
using Iqts.Api.Quality;
using Iqts.Api.Tests.Infrastructure;

namespace Iqts.Api.Tests.Foundation;

/// <summary>
/// Every request body in the committed contract has examples, and the API accepts each one (issue 18: a generated
/// client, or a tool driven by the contract, builds what the examples show). Each is sent, in each media type the
/// operation takes, to a resource made ready for it, and must answer 2xx. The API runs as a sandbox here, so the
/// sandbox's own operations are sent too; everything else is the same API.
/// </summary>
public sealed class ContractExampleTests(Sandbox.SandboxTests.Api api) : IClassFixture<Sandbox.SandboxTests.Api>
{
    /// <summary>The caller, the path's values and the ids to put in the body: what an operation's example needs around it.</summary>
    private sealed record Context(HttpClient Client, Dictionary<string, string> PathValues, Dictionary<string, string>? BodyIds = null);

    /// <summary>One ready resource per operation with a body. An operation missing here fails the test: add what it needs.</summary>
    private Dictionary<string, Func<Task<Context>>> Setups() => new()
    {
        ["POST /api/v1/providers"] = async () => new(await api.ClientForAsync("dfe"), []),
        ["PATCH /api/v1/providers/{ukprn}"] = async () => new(await api.ClientForAsync("dfe"), new() { ["ukprn"] = await api.CreateProviderAsync() }),
        ["POST /api/v1/trainees"] = async () => new(await api.NewProviderClientAsync(), []),
        ["PATCH /api/v1/trainees/{traineeId}"] = () => TraineeAsync(),
        ["POST /api/v1/trainees/{traineeId}/defer"] = () => TraineeAsync(),
        ["POST /api/v1/trainees/{traineeId}/reinstate"] = () => TraineeAsync(async (client, path) =>
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"{path}/defer", Requests.JsonBody("""{"date":"2026-01-10","reason":"Illness"}"""))).StatusCode)),
        ["POST /api/v1/trainees/{traineeId}/withdraw"] = () => TraineeAsync(),
        ["POST /api/v1/trainees/{traineeId}/qualifications"] = () => TraineeAsync(),
        ["PUT /api/v1/trainees/{traineeId}/suitability-checks"] = () => TraineeAsync(),
        ["POST /api/v1/eligibility-checks"] = async () => new(await api.NewProviderClientAsync(), []),
        ["POST /api/v1/trainees/{traineeId}/placements"] = async () =>
        {
            var context = await TraineeAsync();
            var ukprn = context.PathValues["ukprn"];
            return context with { BodyIds = new() { [PlacementExamples.SchoolId] = await api.CreateSchoolAsync(ukprn) } };
        },
        ["PATCH /api/v1/trainees/{traineeId}/placements/{placementId}"] = async () =>
        {
            var context = await TraineeAsync();
            var (ukprn, trainee) = (context.PathValues["ukprn"], Guid.Parse(context.PathValues["traineeId"]));
            context.PathValues["placementId"] = await api.AddPlacementAsync(ukprn, trainee, Fixtures.Placement(await api.CreateSchoolAsync(ukprn)));
            return context;
        },
        ["PUT /api/v1/trainees/{traineeId}/placement-plan"] = () => TraineeAsync(),
        ["POST /api/v1/trainees/{traineeId}/assessments"] = () => TraineeAsync(),
        ["POST /api/v1/trainees/{traineeId}/award"] = async () =>
        {
            var context = await TraineeAsync();
            await api.PrepareForAwardAsync(context.PathValues["ukprn"], Guid.Parse(context.PathValues["traineeId"]));
            return context;
        },
        ["PUT /api/v1/awards/{awardId}/acknowledgement"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId;
            return new(await api.ClientForAsync("tra"), new() { ["awardId"] = (await api.AwardTraineeAsync(ukprn, trainee)).ToString() });
        },
        ["PUT /api/v1/returns/{month}"] = async () => new(await api.NewProviderClientAsync(), new() { ["month"] = "2026-02" }),
        ["POST /api/v1/schools"] = async () => new(await api.NewProviderClientAsync(), []),
        ["POST /api/v1/webhook-subscriptions"] = async () => new(await api.NewProviderClientAsync(), []),
        ["PATCH /api/v1/webhook-subscriptions/{subscriptionId}"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            var paused = await api.SubscriptionAsync(EventStreams.Provider(ukprn), state: Iqts.Api.Webhooks.SubscriptionState.Paused);
            return new(await api.ClientForAsync("provider", ukprn), new() { ["subscriptionId"] = paused.ToString() });
        },
        ["POST /api/v1/test-data/generate"] = async () => new(await api.NewProviderClientAsync(), []),
        ["POST /api/v1/trainee-batches"] = async () => new(await api.NewProviderClientAsync(), []),
        ["POST /api/v1/award-batches"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            var trainees = await api.SeedTraineesAsync(ukprn, 2);
            foreach (var trainee in trainees)
            {
                await api.PrepareForAwardAsync(ukprn, trainee.TraineeId);
            }

            return new(await api.ClientForAsync("provider", ukprn), [],
                new() { [BatchExamples.FirstTraineeId] = trainees[0].TraineeId.ToString(), [BatchExamples.SecondTraineeId] = trainees[1].TraineeId.ToString() });
        },
        ["POST /api/v1/providers/{ukprn}/approval-history"] = async () => new(await api.ClientForAsync("dfe"), new() { ["ukprn"] = await api.CreateProviderAsync() }),
        ["POST /api/v1/inspectorates"] = async () => new(await api.ClientForAsync("dfe"), []),
        ["PATCH /api/v1/inspectorates/{inspectorateId}"] = async () => new(await api.ClientForAsync("dfe"), new() { ["inspectorateId"] = await api.CreateInspectorateAsync() }),
        ["POST /api/v1/inspections"] = async () => new(await api.ClientForAsync("dfe"), [],
            new() { [GovernanceExamples.ExampleUkprn] = await api.CreateProviderAsync(), [GovernanceExamples.ExampleInspectorateId] = await api.CreateInspectorateAsync() }),
        ["PATCH /api/v1/inspections/{inspectionId}"] = async () =>
        {
            var (inspection, inspector) = await api.BookInspectionAsync(await api.CreateProviderAsync(), "2026-spring");
            return new(inspector, new() { ["inspectionId"] = inspection });
        },
        ["POST /api/v1/moderators"] = async () => new(await api.NewProviderClientAsync(), []),
        ["PATCH /api/v1/moderators/{moderatorId}"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            return new(await api.ClientForAsync("provider", ukprn), new() { ["moderatorId"] = await api.AddModeratorAsync(ukprn) });
        },
        ["POST /api/v1/evaluations"] = async () => new(await api.NewProviderClientAsync(), []),
        ["POST /api/v1/mentors"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            return new(await api.ClientForAsync("provider", ukprn), [], new() { [PlacementExamples.SchoolId] = await api.CreateSchoolAsync(ukprn) });
        },
        ["PATCH /api/v1/mentors/{mentorId}"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            return new(await api.ClientForAsync("provider", ukprn), new() { ["mentorId"] = await api.AddMentorAsync(ukprn, await api.CreateSchoolAsync(ukprn)) });
        },
        ["POST /api/v1/mentors/{mentorId}/meetings"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            return new(await api.ClientForAsync("provider", ukprn), new() { ["mentorId"] = await api.AddMentorAsync(ukprn, await api.CreateSchoolAsync(ukprn)) });
        },
        ["POST /api/v1/moderations"] = async () =>
        {
            var context = await TraineeAsync();
            var (ukprn, trainee) = (context.PathValues["ukprn"], Guid.Parse(context.PathValues["traineeId"]));
            var add = api.Operation<AddModerator>();
            var actor = new Actor(Guid.Empty, "test");
            return context with
            {
                BodyIds = new()
                {
                    [QualityExamples.FirstModeratorId] = (await add.RunAsync(ukprn, Fixtures.Moderator().As<ModeratorDetails>(), actor, default)).Value.ModeratorId.ToString(),
                    [QualityExamples.SecondModeratorId] = (await add.RunAsync(ukprn, Fixtures.Moderator(await api.CreateSchoolAsync(ukprn)).As<ModeratorDetails>(), actor, default))
                        .Value.ModeratorId.ToString(),
                    [QualityExamples.TraineeId] = trainee.ToString(),
                    [QualityExamples.AssessmentId] = await api.RecordAssessmentAsync(ukprn, trainee, Fixtures.Assessment()),
                },
            };
        },
        ["PATCH /api/v1/moderations/{moderationId}"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            var client = await api.ClientForAsync("provider", ukprn);
            var external = (await (await client.PostJsonAsync("/api/v1/moderators", Fixtures.ExternalModerator())).ReadJsonAsync()).GetProperty("moderatorId").GetString()!;
            var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId.ToString();
            var exercise = await client.PostJsonAsync("/api/v1/moderations", Fixtures.Moderation([external], [Fixtures.SampledTrainee(trainee, "representative")], kind: "external"));
            return new(client, new() { ["moderationId"] = (await exercise.ReadJsonAsync()).GetProperty("moderationId").GetString()! });
        },
        ["POST /api/v1/providers/me/governance-changes"] = async () => new(await api.NewProviderClientAsync(), []),
        ["PUT /api/v1/providers/{ukprn}/governance-changes/{governanceChangeId}/response"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            return new(await api.ClientForAsync("dfe"), new() { ["ukprn"] = ukprn, ["governanceChangeId"] = await api.NotifyGovernanceChangeAsync(ukprn) });
        },
        ["PATCH /api/v1/schools/{schoolId}"] = async () =>
        {
            var ukprn = await api.CreateProviderAsync();
            return new(await api.ClientForAsync("provider", ukprn), new() { ["schoolId"] = await api.CreateSchoolAsync(ukprn) });
        },
    };

    /// <summary>A provider's new trainee (registered, starting 1 September 2025), <paramref name="prepare"/>d through the API.</summary>
    private async Task<Context> TraineeAsync(Func<HttpClient, string, Task>? prepare = null)
    {
        var ukprn = await api.CreateProviderAsync();
        var client = await api.ClientForAsync("provider", ukprn);
        var trainee = (await api.SeedTraineesAsync(ukprn, 1))[0].TraineeId.ToString();
        if (prepare is not null)
        {
            await prepare(client, $"/api/v1/trainees/{trainee}");
        }

        return new(client, new() { ["traineeId"] = trainee, ["ukprn"] = ukprn });
    }

    [Fact]
    public async Task Every_request_body_has_examples_and_the_api_accepts_each_one()
    {
        using var contract = JsonDocument.Parse(File.ReadAllText(ContractTests.RepoFile("openapi", "iqts-api.v1.json")));
        var setups = Setups();
        var sent = 0;
        var failures = new List<string>();
        foreach (var path in contract.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.TryGetProperty("requestBody", out _)))
            {
                var key = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                Assert.True(setups.ContainsKey(key), $"{key} has a request body but no setup in this test: add one.");
                foreach (var media in operation.Value.GetProperty("requestBody").GetProperty("content").EnumerateObject())
                {
                    Assert.True(media.Value.TryGetProperty("examples", out var examples) && examples.EnumerateObject().Any(), $"{key} ({media.Name}) has no example.");
                    foreach (var example in examples.EnumerateObject())
                    {
                        var context = await setups[key]();
                        var url = context.PathValues.Aggregate(path.Name, (p, v) => p.Replace($"{{{v.Key}}}", v.Value, StringComparison.Ordinal));
                        // A JSON example is the body; a text one (CSV) is the body's text.
                        var value = example.Value.GetProperty("value");
                        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
                        var body = (context.BodyIds ?? []).Aggregate(text, (b, id) => b.Replace(id.Key, id.Value, StringComparison.Ordinal));
                        var response = await context.Client.SendAsync(new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), url) { Content = Requests.JsonBody(body, media.Name) });
                        // A batch answers 201 whatever its rows found: the example must also have succeeded.
                        if (!response.IsSuccessStatusCode || (path.Name.EndsWith("-batches", StringComparison.Ordinal)
                            && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString() != "succeeded"))
                        {
                            failures.Add($"{key} ({media.Name}) example '{example.Name}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }

                        sent++;
                    }
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        // 39 operations, the ten merge patches in both media types, a second moderator, three kinds of qualification, a batch's CSV.
        Assert.Equal(setups.Count + 10 + 1 + 2 + 1, sent);
        Assert.Equal(39, setups.Count);
    }
}
