using Iqts.Client;

// Usage: IQTS_BASE_URL=http://localhost:5080 IQTS_TOKEN=iqts_… dotnet run --project examples/csharp
var baseUrl = Environment.GetEnvironmentVariable("IQTS_BASE_URL") ?? "http://localhost:5080";
var token = Environment.GetEnvironmentVariable("IQTS_TOKEN") ?? throw new InvalidOperationException("Set IQTS_TOKEN to a provider token.");

using var http = new HttpClient();
http.DefaultRequestHeaders.Authorization = new("Bearer", token);
var iqts = new IqtsClient(baseUrl, http);

// Register a trainee. The Idempotency-Key makes a retry after a network failure safe.
var srsKey = "EXAMPLE-" + Guid.NewGuid().ToString("N")[..8];
var created = await iqts.CreateTraineeAsync(
    new CreateTraineeRequest
    {
        ProviderTraineeId = srsKey,
        FirstNames = "Amara",
        LastName = "Okafor",
        DateOfBirth = new DateOnly(1993, 6, 12),
        Email = $"{srsKey.ToLowerInvariant()}@example.org",
        Sex = Sex.Female,
        Nationality = "NG",
        TrainingCountry = "NG",
        AgeRange = "11-19",
        Subjects = ["100403"],
        StudyMode = StudyMode.Part_time,
        StartDate = new DateOnly(2025, 9, 1),
        ExpectedEndDate = new DateOnly(2026, 7, 31),
    },
    confirmNotDuplicate: true,
    idempotency_Key: srsKey);
Console.WriteLine($"Registered {created.Result.ProviderTraineeId} as {created.Result.TraineeId} (ETag {created.Headers["ETag"].Single()}).");

// Page through every trainee; keep the last cursor to pick up later changes.
var count = 0;
string? cursor = null;
TraineeResponsePage page;
do
{
    page = await iqts.ListTraineesAsync(limit: 100, cursor: cursor);
    count += page.Items.Count;
    cursor = page.NextCursor;
}
while (page.HasMore);

Console.WriteLine($"The provider has {count} trainee(s); resume the sync later from cursor {cursor}.");
return count > 0 ? 0 : 1;
