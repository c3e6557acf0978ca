using System.Collections.Generic;
using System.Linq;

namespace MailOps.Core.Spf;

/// <summary>
/// An SPF record split into terms, with every syntax error found. The record is parsed whole
/// before anything is evaluated because a syntax error anywhere is a permerror even when an
/// earlier mechanism would have matched (RFC 7208 section 4.6).
/// </summary>
public sealed class SpfParsedRecord
{
    internal SpfParsedRecord(string text, IReadOnlyList<SpfTerm> terms, IReadOnlyList<SpfSyntaxError> errors)
    {
        Text = text;
        Terms = terms;
        Errors = errors;
        Redirect = terms.OfType<SpfModifier>().FirstOrDefault(m => m.IsRedirect);
        Explanation = terms.OfType<SpfModifier>().FirstOrDefault(m => m.IsExplanation);
    }

    /// <summary>The record text as given.</summary>
    public string Text { get; }

    /// <summary>The terms in record order; terms with syntax errors are left out.</summary>
    public IReadOnlyList<SpfTerm> Terms { get; }

    /// <summary>Every syntax error, in record order.</summary>
    public IReadOnlyList<SpfSyntaxError> Errors { get; }

    /// <summary>True when the record follows the grammar; otherwise check_host() yields permerror.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The directives in evaluation order (section 4.6.2).</summary>
    public IEnumerable<SpfMechanism> Mechanisms => Terms.OfType<SpfMechanism>();

    /// <summary>All modifiers, known and unknown, in record order.</summary>
    public IEnumerable<SpfModifier> Modifiers => Terms.OfType<SpfModifier>();

    /// <summary>The first "redirect=" modifier, or null (section 6.1).</summary>
    public SpfModifier? Redirect { get; }

    /// <summary>The first "exp=" modifier, or null (section 6.2).</summary>
    public SpfModifier? Explanation { get; }
}
