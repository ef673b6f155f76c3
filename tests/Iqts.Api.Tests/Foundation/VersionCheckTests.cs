using Iqts.Api.Data;

namespace Iqts.Api.Tests.Foundation;

/// <summary>The one check of the record a conditional write changes: unknown, another version, or this one.</summary>
public sealed class VersionCheckTests
{
    private sealed record Stored(long RowVersion) : IVersioned;

    [Fact]
    public void No_record_is_not_found_under_its_name_whatever_If_Match_says()
    {
        foreach (var check in new[] { VersionCheck.Any, VersionCheck.None, new VersionCheck([1]) })
        {
            var outcome = check.Check<Stored>(null, "mentor");
            Assert.True(outcome.Failed);
            Assert.Equal((404, "No mentor with that id exists for this caller."), (outcome.Error.Kind.Status, outcome.Error.Detail));
        }
    }

    [Theory]
    [InlineData(new long[] { 3 }, 3, true)]
    [InlineData(new long[] { 2, 3 }, 3, true)]
    [InlineData(new long[] { 2 }, 3, false)]
    [InlineData(new long[] { }, 3, false)]
    public void A_record_passes_only_when_If_Match_names_its_version(long[] versions, long stored, bool passes)
    {
        var record = new Stored(stored);
        var outcome = new VersionCheck(versions).Check(record, "mentor");
        Assert.Equal(passes, !outcome.Failed);
        if (passes)
        {
            Assert.Same(record, outcome.Value);
        }
        else
        {
            Assert.Equal(412, outcome.Error!.Kind.Status);
        }
    }

    [Fact]
    public void Any_passes_every_version_and_none_passes_none()
    {
        Assert.False(VersionCheck.Any.Check(new Stored(7), "mentor").Failed);
        Assert.Equal(412, VersionCheck.None.Check(new Stored(7), "mentor").Error!.Kind.Status);
    }
}
