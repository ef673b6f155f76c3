using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>Valid requests as SDK models, and a way to assert the SDK's typed problem.</summary>
public static class SdkFixtures
{
    private static readonly string[] LeftOut = ["previousLastName", "countryOfBirth", "countryOfResidence"];

    /// <summary>The one trainee builder's trainee, as the SDK's model: a primary (3-11) trainee in Malaysia.</summary>
    public static CreateTraineeRequest Trainee(Action<CreateTraineeRequest>? change = null)
    {
        var request = Fixtures.Trainee(change: b =>
        {
            b["firstNames"] = "Mei " + b["providerTraineeId"];
            b["lastName"] = "Tan";
            b["nationality"] = "MY";
            b["trainingCountry"] = "MY";
            b["ageRange"] = "3-11";
            b["subjects"] = new System.Text.Json.Nodes.JsonArray("100511");
            foreach (var optional in LeftOut)
            {
                b.Remove(optional);
            }
        }).As<CreateTraineeRequest>();
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
