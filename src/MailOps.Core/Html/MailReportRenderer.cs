using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Text;
using MailOps.Core.Audit;
using MailOps.Core.Reports;
using MailOps.Core.Spf;

namespace MailOps.Core.Html;

/// <summary>
/// Renders Test-MailDomain reports and DMARC aggregate rows as one self-contained HTML page:
/// inline CSS and SVG, no script, no external asset, so the file can be mailed, archived or
/// opened offline and still look the same. Every value from DNS or a report is HTML-encoded.
/// </summary>
public static class MailReportRenderer
{
    private const int LookupLimit = 10;

    /// <summary>Builds the page.</summary>
    /// <param name="title">The page title.</param>
    /// <param name="domains">Audit results, in the order to show them.</param>
    /// <param name="dmarcRows">DMARC aggregate report rows.</param>
    /// <param name="generatedAt">The time printed as "generated".</param>
    public static string Render(string title, IReadOnlyList<MailDomainReport> domains, IReadOnlyList<DmarcReportRow> dmarcRows, DateTimeOffset generatedAt)
    {
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<title>").Append(E(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n");
        html.Append("<header><h1>").Append(E(title)).Append("</h1><p class=\"muted\">Generated ")
            .Append(E(generatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'zzz", CultureInfo.InvariantCulture))).Append(" by MailOps</p></header>\n");

        if (domains.Count > 0)
        {
            RenderDomainSummary(html, domains);
            foreach (MailDomainReport report in domains)
            {
                RenderDomain(html, report);
            }
        }

        if (dmarcRows.Count > 0)
        {
            RenderDmarc(html, dmarcRows);
        }

        if (domains.Count == 0 && dmarcRows.Count == 0)
        {
            html.Append("<p class=\"muted\">Nothing to report: no Test-MailDomain results or DMARC report rows were given.</p>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void RenderDomainSummary(StringBuilder html, IReadOnlyList<MailDomainReport> domains)
    {
        int pass = domains.Count(d => d.Status == MailDomainStatus.Pass);
        int warn = domains.Count(d => d.Status == MailDomainStatus.Warning);
        int fail = domains.Count(d => d.Status == MailDomainStatus.Fail);
        html.Append("<section id=\"summary\"><h2>Domains</h2>\n<p class=\"totals\">")
            .Append(Badge("Pass", pass + " pass")).Append(' ')
            .Append(Badge("Warning", warn + " warning")).Append(' ')
            .Append(Badge("Fail", fail + " fail")).Append("</p>\n");
        html.Append("<table class=\"grid\"><thead><tr><th>Domain</th><th>Status</th><th>Score</th><th>Provider</th><th>SPF lookups</th><th>DMARC</th><th>Errors</th><th>Warnings</th></tr></thead><tbody>\n");
        foreach (MailDomainReport d in domains)
        {
            html.Append("<tr><td><a href=\"#").Append(Anchor(d.Domain)).Append("\">").Append(E(d.Domain)).Append("</a></td><td>")
                .Append(Badge(d.Status.ToString(), d.Status.ToString())).Append("</td><td>").Append(d.Score)
                .Append("</td><td>").Append(E(d.Provider ?? "")).Append("</td><td>").Append(d.Spf.DnsLookupCount).Append(" / ").Append(LookupLimit)
                .Append("</td><td>").Append(E(d.Dmarc.EffectivePolicy?.ToString().ToLowerInvariant() ?? "none published"))
                .Append("</td><td>").Append(d.ErrorCount).Append("</td><td>").Append(d.WarningCount).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void RenderDomain(StringBuilder html, MailDomainReport d)
    {
        html.Append("<section class=\"domain\" id=\"").Append(Anchor(d.Domain)).Append("\"><h2>").Append(E(d.Domain)).Append(' ')
            .Append(Badge(d.Status.ToString(), d.Status.ToString())).Append("</h2>\n<dl class=\"facts\">");
        Fact(html, "Score", d.Score.ToString(CultureInfo.InvariantCulture));
        Fact(html, "Provider", d.Provider ?? "unknown");
        Fact(html, "MX", string.Join(", ", d.Mx.Where(m => m.Exchange is not null).Select(m => m.Preference + " " + m.Exchange)));
        Fact(html, "SPF", d.Spf.Record ?? "none");
        Fact(html, "DMARC", d.Dmarc.Record ?? "none");
        Fact(html, "DKIM selectors", string.Join(", ", d.Dkim.Where(k => k.Selector is not null && k.KeyType is not null).Select(k => k.Selector + " (" + k.KeyType + (k.KeySize is null ? "" : " " + k.KeySize) + ")")));
        html.Append("</dl>\n");

        // The lookup budget first: it is the SPF failure admins miss most (RFC 7208 4.6.4).
        int used = d.Spf.DnsLookupCount;
        int width = Math.Min(100, used * 100 / LookupLimit);
        string level = used > LookupLimit ? "Fail" : used >= 8 ? "Warning" : "Pass";
        html.Append("<h3>SPF lookup budget</h3>\n<div class=\"budget\" role=\"meter\" aria-valuemin=\"0\" aria-valuemax=\"10\" aria-valuenow=\"").Append(used)
            .Append("\"><div class=\"bar ").Append(level).Append("\" style=\"width:").Append(width).Append("%\"></div></div><p class=\"muted\">")
            .Append(used).Append(" of ").Append(LookupLimit).Append(" DNS lookups</p>\n");
        if (d.Spf.Record is not null)
        {
            html.Append("<h3>SPF include tree</h3>\n<ul class=\"tree\">");
            RenderSpfNode(html, d.Spf);
            html.Append("</ul>\n");
        }

        if (d.Findings.Length > 0)
        {
            html.Append("<h3>Findings</h3>\n<table class=\"grid findings\"><thead><tr><th>Area</th><th>Severity</th><th>Code</th><th>What to do</th></tr></thead><tbody>\n");
            foreach (MailDomainFinding f in d.Findings.OrderBy(f => f.Severity))
            {
                html.Append("<tr><td>").Append(E(f.Area.ToString())).Append("</td><td>").Append(Badge(SeverityClass(f.Severity), f.Severity.ToString()))
                    .Append("</td><td><code>").Append(E(f.Code)).Append("</code></td><td>").Append(E(f.Message)).Append("</td></tr>\n");
            }

            html.Append("</tbody></table>\n");
        }

        html.Append("</section>\n");
    }

    private static void RenderSpfNode(StringBuilder html, SpfRecord node)
    {
        html.Append("<li><span class=\"node\">").Append(E(node.Term ?? node.Domain)).Append("</span> <span class=\"muted\">")
            .Append(node.DnsLookupCount).Append(node.DnsLookupCount == 1 ? " lookup" : " lookups").Append("</span>");
        if (node.Record is null)
        {
            html.Append(" <span class=\"badge Fail\">no record</span>");
        }

        if (node.Includes.Length > 0)
        {
            html.Append("<ul>");
            foreach (SpfRecord child in node.Includes)
            {
                RenderSpfNode(html, child);
            }

            html.Append("</ul>");
        }

        html.Append("</li>");
    }

    private static void RenderDmarc(StringBuilder html, IReadOnlyList<DmarcReportRow> rows)
    {
        long total = rows.Sum(r => r.Count);
        long passed = rows.Where(r => r.DmarcPass).Sum(r => r.Count);
        html.Append("<section id=\"dmarc\"><h2>DMARC aggregate reports</h2>\n<p>")
            .Append(total.ToString("N0", CultureInfo.InvariantCulture)).Append(" messages in ")
            .Append(rows.Select(r => r.ReportId).Distinct().Count()).Append(" report(s); ")
            .Append(Badge("Pass", passed.ToString("N0", CultureInfo.InvariantCulture) + " pass")).Append(' ')
            .Append(Badge("Fail", (total - passed).ToString("N0", CultureInfo.InvariantCulture) + " fail")).Append("</p>\n");
        RenderDmarcChart(html, rows);

        html.Append("<h3>By source</h3>\n<table class=\"grid sources\"><thead><tr><th>Source IP</th><th>Header From</th><th>Messages</th><th>DMARC pass</th><th>DMARC fail</th><th>Pass %</th></tr></thead><tbody>\n");
        var bySource = rows.GroupBy(r => (Ip: r.SourceIP?.ToString() ?? "unknown", From: r.HeaderFrom ?? ""))
            .Select(g => (g.Key.Ip, g.Key.From, Total: g.Sum(r => r.Count), Pass: g.Where(r => r.DmarcPass).Sum(r => r.Count)))
            .OrderByDescending(s => s.Total - s.Pass).ThenByDescending(s => s.Total);
        foreach (var s in bySource)
        {
            double percent = s.Total == 0 ? 0 : 100.0 * s.Pass / s.Total;
            html.Append("<tr><td>").Append(E(s.Ip)).Append("</td><td>").Append(E(s.From)).Append("</td><td>").Append(s.Total)
                .Append("</td><td>").Append(s.Pass).Append("</td><td>").Append(s.Total - s.Pass).Append("</td><td>")
                .Append(percent.ToString("0.0", CultureInfo.InvariantCulture)).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    /// <summary>Pass and fail messages per day as stacked SVG bars: the "over time" view.</summary>
    private static void RenderDmarcChart(StringBuilder html, IReadOnlyList<DmarcReportRow> rows)
    {
        var days = rows.GroupBy(r => (r.Begin ?? DateTimeOffset.MinValue).UtcDateTime.Date)
            .OrderBy(g => g.Key)
            .Select(g => (Day: g.Key, Pass: g.Where(r => r.DmarcPass).Sum(r => r.Count), Fail: g.Where(r => !r.DmarcPass).Sum(r => r.Count)))
            .ToList();
        const int height = 160;
        const int barWidth = 28;
        const int gap = 10;
        int chartWidth = Math.Max(200, days.Count * (barWidth + gap) + 60);
        long max = Math.Max(1, days.Max(d => d.Pass + d.Fail));
        html.Append("<h3>DMARC pass and fail by day</h3>\n<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(chartWidth)
            .Append("\" height=\"").Append(height + 40).Append("\" role=\"img\" aria-label=\"DMARC pass and fail messages per day\">\n");
        html.Append("<line x1=\"40\" y1=\"").Append(height).Append("\" x2=\"").Append(chartWidth).Append("\" y2=\"").Append(height).Append("\" class=\"axis\"/>\n");
        html.Append("<text x=\"0\" y=\"12\" class=\"label\">").Append(max).Append("</text><text x=\"0\" y=\"").Append(height).Append("\" class=\"label\">0</text>\n");
        int x = 50;
        foreach (var day in days)
        {
            int passHeight = (int)(day.Pass * (height - 10) / max);
            int failHeight = (int)(day.Fail * (height - 10) / max);
            string label = day.Day == DateTime.MinValue ? "?" : day.Day.ToString("MM-dd", CultureInfo.InvariantCulture);
            html.Append("<g class=\"day\" data-day=\"").Append(E(label)).Append("\"><title>").Append(E(label)).Append(": ").Append(day.Pass).Append(" pass, ").Append(day.Fail).Append(" fail</title>")
                .Append("<rect class=\"pass\" x=\"").Append(x).Append("\" y=\"").Append(height - passHeight).Append("\" width=\"").Append(barWidth).Append("\" height=\"").Append(passHeight).Append("\"/>")
                .Append("<rect class=\"fail\" x=\"").Append(x).Append("\" y=\"").Append(height - passHeight - failHeight).Append("\" width=\"").Append(barWidth).Append("\" height=\"").Append(failHeight).Append("\"/>")
                .Append("<text x=\"").Append(x).Append("\" y=\"").Append(height + 16).Append("\" class=\"label\">").Append(E(label)).Append("</text></g>\n");
            x += barWidth + gap;
        }

        html.Append("</svg>\n<p class=\"legend\"><span class=\"swatch pass\"></span> DMARC pass <span class=\"swatch fail\"></span> DMARC fail</p>\n");
    }

    private static void Fact(StringBuilder html, string name, string value)
        => html.Append("<dt>").Append(E(name)).Append("</dt><dd>").Append(E(value.Length == 0 ? "none" : value)).Append("</dd>");

    private static string Badge(string cssClass, string text) => "<span class=\"badge " + cssClass + "\">" + E(text) + "</span>";

    private static string SeverityClass(FindingSeverity severity)
        => severity == FindingSeverity.Error ? "Fail" : severity == FindingSeverity.Warning ? "Warning" : "Info";

    private static string Anchor(string domain) => "d-" + E(domain.Replace('.', '-'));

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private const string Css = @"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1d2733;background:#fafbfc;max-width:72rem}
h1{margin:0}h2{border-bottom:1px solid #d5dbe1;padding-bottom:.3rem;margin-top:2rem}h3{margin-bottom:.4rem}
.muted{color:#66727f}.grid{border-collapse:collapse;width:100%;background:#fff}
.grid th,.grid td{border:1px solid #d5dbe1;padding:.35rem .5rem;text-align:left;vertical-align:top}
.grid th{background:#eef1f4}.badge{display:inline-block;border-radius:.6rem;padding:.05rem .55rem;font-size:.85em;font-weight:600}
.badge.Pass{background:#d8f3dc;color:#1b5e20}.badge.Warning{background:#fff3cd;color:#7a5b00}
.badge.Fail{background:#f8d7da;color:#842029}.badge.Info{background:#e2e8f0;color:#334155}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}.facts dt{font-weight:600}.facts dd{margin:0;word-break:break-all}
.budget{width:20rem;height:.8rem;background:#e2e8f0;border-radius:.4rem;overflow:hidden}.budget .bar{height:100%}
.bar.Pass{background:#2e7d32}.bar.Warning{background:#f0ad00}.bar.Fail{background:#c62828}
.tree,.tree ul{list-style:none;padding-left:1.2rem;border-left:1px dotted #b0bac4}.tree .node{font-family:ui-monospace,monospace}
.chart .pass,.swatch.pass{fill:#2e7d32;background:#2e7d32}.chart .fail,.swatch.fail{fill:#c62828;background:#c62828}
.chart .axis{stroke:#66727f}.chart .label{font-size:10px;fill:#66727f}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-left:.8rem;vertical-align:middle}
";
}
