using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>Valid requests as SDK models, and a way to assert the SDK's typed problem.</summary>
public static class SdkFixtures
{
    public static CreateTraineeRequest Trainee(Action<CreateTraineeRequest>? change = null)
    {
        var id = Fixtures.NewProviderTraineeId();
        var request = new CreateTraineeRequest
        {
            ProviderTraineeId = id,
            FirstNames = "Mei " + id,
            LastName = "Tan",
            DateOfBirth = new DateOnly(1992, 3, 4),
            Email = $"mei.{id.ToLowerInvariant()}@example.org",
            Sex = Sex.Female,
            Nationality = "MY",
            TrainingCountry = "MY",
            FirstLanguage = "ms",
            TeachingLanguage = "en",
            YearsOfTeachingExperience = 3,
            ReasonForIqts = IqtsReason.Professional_development,
            HighestQualificationLevel = QualificationLevel.Bachelors_degree,
            AgeRange = "3-11",
            Subjects = ["100511"],
            StudyMode = StudyMode.Full_time,
            StartDate = new DateOnly(2025, 9, 1),
            ExpectedEndDate = new DateOnly(2026, 7, 31),
        };
        change?.Invoke(request);
        return request;
    }

    public static async Task<IqtsClient> NewProviderSdkAsync(this ApiFactory api, bool mayExceedCap = false) =>
        await api.SdkForAsync("provider", await api.CreateProviderAsync(mayExceedCap: mayExceedCap));

    /// <summary>Runs the call, expects the SDK's typed exception, checks status and errorCode, returns the problem.</summary>
    public static async Task<ApiProblem> ProblemAsync(Func<Task> call, int status, string errorCode)
    {
        var error = await Assert.ThrowsAsync<IqtsApiException<ApiProblem>>(call);
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(errorCode, error.Result.ErrorCode);
        Assert.Equal(status, error.Result.Status);
        Assert.False(string.IsNullOrEmpty(error.Result.TraceId));
        return error.Result;
    }

    public static string ETag(this IqtsResponse response) => response.Headers["ETag"].Single();
}
