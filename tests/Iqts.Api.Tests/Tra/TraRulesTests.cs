using Iqts.Api.Awards;
using Iqts.Api.Tests.Infrastructure;
using Iqts.Api.Tra;
using Iqts.Api.Trainees;

namespace Iqts.Api.Tests.Tra;

/// <summary>What is sent to TRS and what an answer leads to, as pure functions.</summary>
public sealed class TraRulesTests
{
    private static Trainee Trainee(Action<System.Text.Json.Nodes.JsonObject>? change = null) =>
        new(Fixtures.Trainee(change: change).As<TraineeRegistration>())
        {
            TraineeId = Guid.Parse("0196f5b4-0000-7000-8000-000000000001"),
            Ukprn = "10000001",
            Status = TraineeStatus.Registered,
        };

    [Theory]
    [InlineData(TraineeStatus.Registered, "InTraining")]
    [InlineData(TraineeStatus.Deferred, "Deferred")]
    [InlineData(TraineeStatus.Withdrawn, "Withdrawn")]
    [InlineData(TraineeStatus.Awarded, "Holds")]
    public void Statuses_map_as_DfEs_Register_maps_them(TraineeStatus status, string trs) => Assert.Equal(trs, TraRules.RouteStatus(status));

    [Fact]
    public void The_route_carries_the_iqts_route_type_the_training_and_the_provider_and_holds_only_when_awarded()
    {
        var trainee = Trainee(t => { t["ageRange"] = "5-11"; t["subjects"] = new System.Text.Json.Nodes.JsonArray("100403", "100425", "101038"); });
        var route = TraRules.Route(trainee, holdsFrom: new DateOnly(2026, 3, 13));
        Assert.Equal(Guid.Parse("D0B60864-AB1C-4D49-A5C2-FF4BD9872EE1"), route.RouteToProfessionalStatusTypeId);
        Assert.Equal("InTraining", route.Status);
        Assert.Null(route.HoldsFrom);
        Assert.Equal(new TrsAgeSpecialism("Range", 5, 11), route.TrainingAgeSpecialism);
        Assert.Equal(["100403", "100425", "101038"], route.TrainingSubjectReferences);
        Assert.Equal((new DateOnly(2025, 9, 1), new DateOnly(2026, 7, 31)), (route.TrainingStartDate, route.TrainingEndDate));
        Assert.Equal(("IN", "10000001"), (route.TrainingCountryReference, route.TrainingProviderUkprn));
        Assert.Null(route.IsExemptFromInduction);

        var holds = TraRules.Route(trainee with { Status = TraineeStatus.Awarded }, new DateOnly(2026, 3, 13));
        Assert.Equal(("Holds", new DateOnly(2026, 3, 13)), (holds.Status, holds.HoldsFrom));
    }

    [Theory]
    [InlineData("XA", "CY")]
    [InlineData("XB", "CY")]
    [InlineData("XC", "CY")]
    [InlineData("IN", "IN")]
    [InlineData("XP", "XP")]
    public void Hesas_three_cypruses_are_TRSs_one(string hesa, string trs) => Assert.Equal(trs, TraRules.TrsCountry(hesa));

    [Fact]
    public void The_trn_request_names_the_person_from_the_trainee_with_a_stable_request_id()
    {
        var request = TraRules.TrnRequest(Trainee(t => t["firstNames"] = "Asha Devi Kumari"));
        Assert.Equal("iqts-0196f5b4-0000-7000-8000-000000000001", request.RequestId);
        Assert.Matches("^[0-9a-z_-]+$", request.RequestId);
        Assert.Equal(("Asha", "Devi Kumari", "Verma", "Female"), (request.Person.FirstName, request.Person.MiddleName, request.Person.LastName, request.Person.Gender));
        Assert.Equal(new DateOnly(1994, 5, 17), request.Person.DateOfBirth);
    }

    [Fact]
    public void The_backoff_is_TRSs_webhook_schedule_about_three_days_then_the_message_is_parked()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), TraRules.NextDelay(1));
        Assert.Equal(TimeSpan.FromHours(24), TraRules.NextDelay(9));
        Assert.Null(TraRules.NextDelay(10));
        var total = TraRules.Backoff.Aggregate(TimeSpan.Zero, (sum, d) => sum + d);
        Assert.InRange(total.TotalDays, 3, 3.3);

        var transient = new TrsResult(TrsAnswer.Transient, 503);
        Assert.Equal((SubmissionState.Pending, 1, TimeSpan.FromSeconds(5)), Outcome(TraRules.AfterRouteUpdate(transient, 0)));
        Assert.Equal((SubmissionState.Pending, 9, TimeSpan.FromHours(24)), Outcome(TraRules.AfterRouteUpdate(transient, 8)));
        var spent = TraRules.AfterRouteUpdate(transient, 9);
        Assert.Equal((SubmissionState.Failed, "http_503"), (spent.State, spent.Code));
    }

    private static (SubmissionState, int, TimeSpan) Outcome(OutboxStep step) => (step.State, step.Failures, step.Delay);

    [Fact]
    public void A_route_answer_is_delivered_on_204_and_on_10052_and_parked_on_any_other_refusal()
    {
        Assert.Equal(SubmissionState.Delivered, TraRules.AfterRouteUpdate(new TrsResult(TrsAnswer.Ok, 204), 0).State);
        var holds = TraRules.AfterRouteUpdate(new TrsResult(TrsAnswer.Refused, 400, new TrsProblem { ErrorCode = 10052 }), 0);
        Assert.Equal((SubmissionState.Delivered, "10052"), (holds.State, holds.Code));
        var country = TraRules.AfterRouteUpdate(new TrsResult(TrsAnswer.Refused, 400, new TrsProblem { ErrorCode = 10047, Title = "Invalid training country." }), 0);
        Assert.Equal((SubmissionState.Failed, "10047", "Invalid training country."), (country.State, country.Code, country.Error));
        var person = TraRules.AfterRouteUpdate(new TrsResult(TrsAnswer.NotFound, 404, new TrsProblem { ErrorCode = 10001 }), 0);
        Assert.Equal((SubmissionState.Failed, "10001"), (person.State, person.Code));
        var validation = TraRules.AfterRouteUpdate(new TrsResult(TrsAnswer.Refused, 400,
            new TrsProblem { Title = "One or more validation errors occurred.", Errors = new Dictionary<string, string[]> { ["trainingEndDate"] = ["Must be after the start."] } }), 0);
        Assert.Equal(("http_400", "One or more validation errors occurred. trainingEndDate: Must be after the start."), (validation.Code, validation.Error));
    }

    [Fact]
    public void A_trn_request_answer_stores_the_trn_polls_while_pending_reads_on_10029_and_resends_on_10031()
    {
        var completed = TraRules.AfterTrnRequest(TraRules.Post, new TrsResult(TrsAnswer.Ok, 200, Info: new TrsTrnRequestInfo("r", "Completed", "3000001", false)), 0, TimeSpan.FromMinutes(5));
        Assert.Equal((SubmissionState.Delivered, "3000001"), (completed.State, completed.Trn));
        var pending = TraRules.AfterTrnRequest(TraRules.Post, new TrsResult(TrsAnswer.Ok, 200, Info: new TrsTrnRequestInfo("r", "Pending", null, false)), 0, TimeSpan.FromMinutes(5));
        Assert.Equal((SubmissionState.Pending, TraRules.Poll, TimeSpan.FromMinutes(5), null), (pending.State, pending.Phase, pending.Delay, pending.Code));
        var duplicate = TraRules.AfterTrnRequest(TraRules.Poll, new TrsResult(TrsAnswer.Ok, 200, Info: new TrsTrnRequestInfo("r", "Pending", null, true)), 0, TimeSpan.FromMinutes(5));
        Assert.Equal((SubmissionState.Pending, "potential_duplicate"), (duplicate.State, duplicate.Code));
        var exists = TraRules.AfterTrnRequest(TraRules.Post, new TrsResult(TrsAnswer.Conflict, 409, new TrsProblem { ErrorCode = 10029 }), 0, TimeSpan.FromMinutes(5));
        Assert.Equal((SubmissionState.Pending, TraRules.Poll, TimeSpan.Zero), (exists.State, exists.Phase, exists.Delay));
        var unknown = TraRules.AfterTrnRequest(TraRules.Poll, new TrsResult(TrsAnswer.NotFound, 404, new TrsProblem { ErrorCode = 10031 }), 0, TimeSpan.FromMinutes(5));
        Assert.Equal((SubmissionState.Pending, TraRules.Post), (unknown.State, unknown.Phase));
        var refused = TraRules.AfterTrnRequest(TraRules.Post, new TrsResult(TrsAnswer.Refused, 400, new TrsProblem { Title = "bad" }), 0, TimeSpan.FromMinutes(5));
        Assert.Equal(SubmissionState.Failed, refused.State);
    }

    [Fact]
    public void An_acknowledgement_is_idempotent_and_refuses_other_values_a_bad_trn_and_a_qts_date_before_the_award()
    {
        var award = new Award { Id = Guid.NewGuid(), AwardedOn = new DateOnly(2026, 3, 13) };
        var trainee = Trainee();
        var today = new DateOnly(2026, 3, 20);
        Assert.True(TraRules.Acknowledge(award, trainee, new("3000001", new DateOnly(2026, 3, 13)), today).Value);
        var acknowledged = award with { Trn = "3000001", QtsDate = new DateOnly(2026, 3, 13), AcknowledgedAt = DateTimeOffset.UnixEpoch };
        Assert.False(TraRules.Acknowledge(acknowledged, trainee, new("3000001", new DateOnly(2026, 3, 13)), today).Value);
        Assert.Equal("award.already_acknowledged", TraRules.Acknowledge(acknowledged, trainee, new("3000001", new DateOnly(2026, 3, 14)), today).Error!.Kind.Code);
        Assert.Equal("award.trn_mismatch", TraRules.Acknowledge(award, trainee with { Trn = "3000002" }, new("3000001", new DateOnly(2026, 3, 13)), today).Error!.Kind.Code);

        var bad = TraRules.Acknowledge(award, trainee, new("30001", new DateOnly(2026, 3, 12)), today).Error!;
        Assert.Equal(["qtsDate", "trn"], bad.Errors!.Keys.Order());
        Assert.Contains("on or after the award date (2026-03-13)", bad.Errors["qtsDate"][0], StringComparison.Ordinal);
        Assert.Equal(["qtsDate", "trn"], TraRules.Acknowledge(award, trainee, new(null, null), today).Error!.Errors!.Keys.Order());
        Assert.Equal("must not be in the future.", TraRules.Acknowledge(award, trainee, new("3000001", new DateOnly(2026, 3, 21)), today).Error!.Errors!["qtsDate"][0]);
    }
}
