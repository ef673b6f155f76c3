namespace Iqts.FakeTra;

/// <summary><c>dotnet run --project tools/Iqts.FakeTra</c>: the fake TRS on http://127.0.0.1:5290 unless <c>--urls</c> says otherwise.</summary>
public static class FakeTraProgram
{
    public static async Task Main(string[] args)
    {
        var app = FakeTraApp.Build(args);
        if (string.IsNullOrEmpty(app.Configuration["urls"]) && string.IsNullOrEmpty(app.Configuration["ASPNETCORE_URLS"]))
        {
            app.Urls.Add("http://127.0.0.1:5290");
        }

        await app.RunAsync();
    }
}
