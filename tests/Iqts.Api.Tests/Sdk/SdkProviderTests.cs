using Iqts.Api.Tests.Infrastructure;
using Iqts.Client;

namespace Iqts.Api.Tests.Sdk;

/// <summary>Providers through the generated C# SDK: if the contract lied about a type or a response, these fail.</summary>
public sealed class SdkProviderTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private static CreateProviderRequest Provider(string ukprn, int grade = 2, ApprovalStatus status = ApprovalStatus.Approved) => new()
    {
        Ukprn = ukprn,
        Name = "Institute " + ukprn,
        ApprovalStatus = status,
        InspectionGrade = grade,
        InspectionDate = new DateOnly(2023, 11, 20),
        MayExceedTraineeCap = false,
    };

    [Fact]
    public async Task Create_read_and_read_as_the_provider()
    {
        var dfe = await api.SdkForAsync("dfe");
        var ukprn = Fixtures.NewUkprn();
        var created = await dfe.CreateProviderAsync(Provider(ukprn));
        Assert.Equal(201, created.StatusCode);
        Assert.Equal(ukprn, created.Result.Ukprn);
        Assert.Equal(new DateOnly(2023, 11, 20), created.Result.InspectionDate);
        Assert.Equal(ApprovalStatus.Approved, created.Result.ApprovalStatus);
        Assert.Equal(TimeSpan.Zero, created.Result.CreatedAt.Offset);

        var read = await dfe.GetProviderAsync(ukprn);
        Assert.Equal(created.ETag(), read.ETag());

        var provider = await api.SdkForAsync("provider", ukprn);
        var me = await provider.GetMyProviderAsync();
        Assert.Equal("Institute " + ukprn, me.Result.Name);
    }

    [Fact]
    public async Task Errors_arrive_as_typed_problems()
    {
        var dfe = await api.SdkForAsync("dfe");
        var ukprn = Fixtures.NewUkprn();
        await dfe.CreateProviderAsync(Provider(ukprn));
        await SdkFixtures.ProblemAsync(() => dfe.CreateProviderAsync(Provider(ukprn)), 409, "provider.already_exists");
        await SdkFixtures.ProblemAsync(() => dfe.GetProviderAsync("19999997"), 404, "resource.not_found");

        var provider = await api.SdkForAsync("provider", ukprn);
        await SdkFixtures.ProblemAsync(() => provider.CreateProviderAsync(Provider(Fixtures.NewUkprn())), 403, "auth.forbidden");
        await SdkFixtures.ProblemAsync(() => api.Sdk(null).ListProvidersAsync(), 401, "auth.missing_token");
        await SdkFixtures.ProblemAsync(() => api.Sdk("iqts_nope").GetMyProviderAsync(), 401, "auth.invalid_token");
    }

    [Theory]
    [InlineData("20000001", 1, ApprovalStatus.Approved, "ukprn")]
    [InlineData("1000001", 1, ApprovalStatus.Approved, "ukprn")]
    [InlineData("", 1, ApprovalStatus.Approved, "ukprn")]
    [InlineData("2000000", 1, ApprovalStatus.Approved, "ukprn")]
    [InlineData("100000001", 1, ApprovalStatus.Approved, "ukprn")]
    [InlineData("1000000a", 1, ApprovalStatus.Approved, "ukprn")]
    [InlineData(null, 5, ApprovalStatus.Approved, "inspectionGrade")]
    [InlineData(null, 0, ApprovalStatus.Suspended, "inspectionGrade")]
    [InlineData(null, 3, ApprovalStatus.Approved, "approvalStatus")]
    [InlineData(null, 4, ApprovalStatus.Approved, "approvalStatus")]
    public async Task Validation_names_the_field(string? ukprn, int grade, ApprovalStatus status, string field)
    {
        var dfe = await api.SdkForAsync("dfe");
        var problem = await SdkFixtures.ProblemAsync(() => dfe.CreateProviderAsync(Provider(ukprn ?? Fixtures.NewUkprn(), grade, status)), 400, "validation.failed");
        Assert.Equal([field], problem.Errors!.Keys);
    }

    [Theory]
    [InlineData("   ", 1, 2023, "name")]
    [InlineData("x", 1, 2999, "inspectionDate")]
    public async Task Name_and_inspection_date_rules(string name, int grade, int inspectionYear, string field)
    {
        var dfe = await api.SdkForAsync("dfe");
        var request = Provider(Fixtures.NewUkprn(), grade);
        request.Name = name;
        request.InspectionDate = new DateOnly(inspectionYear, 1, 1);
        var problem = await SdkFixtures.ProblemAsync(() => dfe.CreateProviderAsync(request), 400, "validation.failed");
        Assert.Equal([field], problem.Errors!.Keys);
    }

    [Fact]
    public async Task Patch_with_if_match_and_a_stale_etag()
    {
        var dfe = await api.SdkForAsync("dfe");
        var ukprn = Fixtures.NewUkprn();
        var created = await dfe.CreateProviderAsync(Provider(ukprn));

        var patched = await dfe.UpdateProviderAsync(ukprn, new ProviderPatch { MayExceedTraineeCap = true }, created.ETag());
        Assert.True(patched.Result.MayExceedTraineeCap);
        Assert.Equal("Institute " + ukprn, patched.Result.Name); // unset fields are not sent, so not cleared
        Assert.NotEqual(created.ETag(), patched.ETag());

        await SdkFixtures.ProblemAsync(() => dfe.UpdateProviderAsync(ukprn, new ProviderPatch { Name = "Late" }, created.ETag()), 412, "resource.precondition_failed");
        await SdkFixtures.ProblemAsync(() => dfe.UpdateProviderAsync("19999996", new ProviderPatch { Name = "x" }), 404, "resource.not_found");
    }

    [Fact]
    public async Task List_pages_with_the_cursor()
    {
        var dfe = await api.SdkForAsync("dfe");
        var created = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            created.Add((await dfe.CreateProviderAsync(Provider(Fixtures.NewUkprn()))).Result.Ukprn);
        }

        var seen = new List<string>();
        string? cursor = null;
        ProviderResponsePage page;
        do
        {
            page = await dfe.ListProvidersAsync(limit: 3, cursor: cursor);
            seen.AddRange(page.Items.Select(p => p.Ukprn));
            cursor = page.NextCursor;
        }
        while (page.HasMore);

        Assert.All(created, u => Assert.Contains(u, seen));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var suspended = await dfe.ListProvidersAsync(limit: 100, approvalStatus: ApprovalStatus.Suspended);
        Assert.All(suspended.Items, p => Assert.Equal(ApprovalStatus.Suspended, p.ApprovalStatus));
        await SdkFixtures.ProblemAsync(() => dfe.ListProvidersAsync(limit: 0), 400, "validation.failed");
        await SdkFixtures.ProblemAsync(() => dfe.ListProvidersAsync(cursor: "abc"), 400, "pagination.invalid_cursor");
    }

    [Fact]
    public async Task Health_and_reference_data_through_the_sdk()
    {
        var anonymous = api.Sdk(null);
        Assert.Equal("live", (await anonymous.GetLivenessAsync()).Status);
        Assert.Equal("ready", (await anonymous.GetReadinessAsync()).Status);

        var tra = await api.SdkForAsync("tra");
        var sets = await tra.ListReferenceDataSetsAsync();
        Assert.Contains(sets, s => s.Set == "countries" && s.Count > 200);
        var subjects = await tra.GetReferenceDataSetAsync("subjects");
        Assert.Contains(subjects.Entries, e => e.Code == "100511");
        await SdkFixtures.ProblemAsync(() => tra.GetReferenceDataSetAsync("planets"), 404, "resource.not_found");
    }
}
