# Mirrors tests/MailOps.PowerShell.Tests/ReportTlsRptTests.cs in Pester 5: Import-TlsRptReport
# through real pwsh over the RFC 8460 sample (tests/Conformance/reports/smtp_tls) and a gzipped
# copy built here. No DNS server is needed. Needs `dotnet build MailOps.sln -c Release` first.

Describe 'Import-TlsRptReport' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule

        $samples = [System.IO.Path]::Combine((Get-MailOpsRepositoryRoot), 'tests', 'Conformance', 'reports')
        $sample = [System.IO.Path]::Combine($samples, 'smtp_tls', 'rfc8460.json')
        $folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'mailops-pester-tlsrpt-' + [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($folder)
        $tlsGz = [System.IO.Path]::Combine($folder, 'tls.json.gz')
        $memory = [System.IO.MemoryStream]::new()
        $gzip = [System.IO.Compression.GZipStream]::new($memory, [System.IO.Compression.CompressionLevel]::Optimal, $true)
        $bytes = [System.IO.File]::ReadAllBytes($sample)
        $gzip.Write($bytes, 0, $bytes.Length)
        $gzip.Dispose()
        [System.IO.File]::WriteAllBytes($tlsGz, $memory.ToArray())
    }

    AfterAll {
        if ($folder -and [System.IO.Directory]::Exists($folder)) {
            [System.IO.Directory]::Delete($folder, $true)
        }
    }

    It 'Rfc8460 sample gives one row per failure detail' {
        $r = @(Import-TlsRptReport -Path $sample -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 3
        $r[0].GetType().FullName | Should -Be 'MailOps.Core.Reports.TlsRptReportRow'
        $r | ForEach-Object { $_.PolicyDomain | Should -BeExactly 'company-y.example' }
        $r | ForEach-Object { $_.PolicyType | Should -BeExactly 'sts' }
        $r | ForEach-Object { $_.SuccessfulSessions | Should -Be 5326 }
        $r.ResultType | Should -BeExactly @('certificate-expired', 'starttls-not-supported', 'validation-failure')
        $r.FailedSessionCount | Should -Be @(100, 200, 3)
        $r[2].ReceivingIp | Should -Be ([System.Net.IPAddress]::Parse('203.0.113.58'))
    }

    It 'Gzipped report is read' {
        $total = 0
        Import-TlsRptReport -Path $tlsGz | ForEach-Object { $total += $_.FailedSessionCount }

        $total | Should -Be 303
    }

    It 'Dmarc report is an InvalidTlsRptReport error and the next file is read' {
        $r = @(Import-TlsRptReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', 'rfc9990-sample.xml')), $sample -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTlsRptReport,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].Exception.Message | Should -BeLike '*Import-DmarcReport*'
        $r | Should -HaveCount 3
    }

    It 'Objects with FullName bind Path from the pipeline' {
        $r = @([pscustomobject]@{ FullName = $sample } | Import-TlsRptReport | Where-Object ResultType -eq 'validation-failure')

        $r | Should -HaveCount 1
        $r[0].FailureReasonCode | Should -BeExactly 'X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED'
    }
}
