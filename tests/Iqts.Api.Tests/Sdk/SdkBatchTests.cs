using System.Text;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>Batches through the C# SDK: a JSON batch (generated), a CSV upload and the wait for a batch (written by hand).</summary>
public sealed class SdkBatchTests(SdkBatchTests.Api api) : IClassFixture<SdkBatchTests.Api>
{
    /// <summary>Every batch answers 202, so the SDK's wait is what finds its end.</summary>
    public sealed class Api : ApiFactory
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Batches:AnswerWithin"] = "00:00:00" };
    }

    [Fact]
    public async Task A_CSV_is_uploaded_as_a_stream_and_waited_for_and_a_JSON_batch_with_a_bad_row_reports_it()
    {
        var sdk = await api.NewProviderSdkAsync();
        var csv = "providerTraineeId,firstNames,lastName,dateOfBirth,email,sex,nationality,trainingCountry,ageRange,subjects,studyMode,startDate,expectedEndDate\r\n"
            + "SDK-CSV-1,\"Mei, Ling\",Tan,1990-11-02,sdk.csv.1@example.org,female,MY,MY,11-19,100403,part_time,2025-09-01,2026-07-31\r\n"
            + "SDK-CSV-2,Chidi,Okafor,1988-04-19,sdk.csv.2@example.org,male,NG,NG,3-11,100511,full_time,2025-09-01,2026-07-31\r\n";
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var accepted = await sdk.CreateTraineeBatchFromCsvAsync(stream, idempotencyKey: "sdk-csv");
        Assert.Equal(2, accepted.Rows);
        var done = await sdk.WaitForTraineeBatchAsync(accepted.BatchId, TimeSpan.FromMilliseconds(20));
        Assert.Equal(BatchStatus.Succeeded, done.Status);
        Assert.Equal("Mei, Ling", (await sdk.GetTraineeAsync(done.Results.First().TraineeId!)).Result.FirstNames);

        await using var wrong = new MemoryStream(Encoding.UTF8.GetBytes("surname\r\nTan\r\n"));
        var problem = await SdkFixtures.ProblemAsync(() => sdk.CreateTraineeBatchFromCsvAsync(wrong), 400, "batch.csv_header");
        Assert.Contains("missing required column(s)", problem.Detail);

        var bad = SdkFixtures.Trainee(t => t.Email = "not an email");
        var json = await sdk.CreateTraineeBatchAsync([SdkFixtures.Trainee(), bad], dryRun: true);
        var failed = await sdk.WaitForTraineeBatchAsync(json.BatchId, TimeSpan.FromMilliseconds(20));
        Assert.Equal(BatchStatus.Failed, failed.Status);
        var error = Assert.Single(failed.Errors);
        Assert.Equal((2, "email", "validation.failed"), (error.Row, error.Field, error.ErrorCode));
    }
}
