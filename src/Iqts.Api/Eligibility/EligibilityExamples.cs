namespace Iqts.Api.Eligibility;

/// <summary>The contract's example request bodies for entry evidence: one qualification of each kind, the checks, an applicant.</summary>
public static class EligibilityExamples
{
    public const string GcseMaths = """
        { "kind": "gcse_maths", "gcse": { "evidence": "uk_gcse", "grade": "5", "country": "XF", "year": 2010 } }
        """;

    public const string Degree = """
        {
          "kind": "degree",
          "degree": {
            "origin": "non_uk", "degreeType": "051", "subject": "100104", "country": "IN", "graduationYear": 2016,
            "taughtInEnglish": true, "enicReference": "ENIC-4471-2024", "comparableTo": "bachelors_degree"
          }
        }
        """;

    public const string EnglishLanguage = """
        { "kind": "english_language", "englishLanguage": { "evidence": "ielts", "overallBand": 7.0, "takenOn": "2024-11-02" } }
        """;

    public const string SuitabilityChecks = """
        {
          "interview": { "outcome": "passed", "date": "2025-06-02" },
          "identity": { "outcome": "passed", "date": "2025-06-02" },
          "employmentHistory": { "outcome": "passed", "date": "2025-06-09" },
          "icpc": { "outcome": "passed", "date": "2025-06-20" },
          "localCriminalRecord": { "outcome": "passed", "date": "2025-06-20" },
          "employerReference1": { "outcome": "passed", "date": "2025-06-12" },
          "employerReference2": { "outcome": "passed", "date": "2025-06-16" },
          "healthAndCapacity": { "outcome": "passed", "date": "2025-06-23" }
        }
        """;

    public const string Applicant = """
        {
          "ageRange": "11-19",
          "qualifications": [
            { "kind": "gcse_maths", "gcse": { "evidence": "enic_statement", "enicReference": "ENIC-1180-2023", "comparableTo": "gcse_grade_4_or_above", "country": "IN", "year": 2008 } },
            { "kind": "degree", "degree": { "origin": "uk", "degreeType": "051", "subject": "100104", "institution": "University of Example", "graduationYear": 2016, "taughtInEnglish": true } }
          ],
          "suitabilityChecks": { "interview": { "outcome": "passed", "date": "2025-06-02" } }
        }
        """;
}
