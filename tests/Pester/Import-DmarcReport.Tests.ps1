# Mirrors tests/MailOps.PowerShell.Tests/ReportDmarcTests.cs in Pester 5: Import-DmarcReport
# through real pwsh over the conformance samples (tests/Conformance/reports) and reports built
# here (a truncated gzip, an e-mail with a zipped report). No DNS server is needed.
# Needs `dotnet build MailOps.sln -c Release` first.

Describe 'Import-DmarcReport' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Add-Type -AssemblyName System.IO.Compression

        $samples = [System.IO.Path]::Combine((Get-MailOpsRepositoryRoot), 'tests', 'Conformance', 'reports')
        $folder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'mailops-pester-reports-' + [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($folder)

        function New-Aggregate([string] $Id, [string[]] $Records) {
            '<?xml version="1.0"?>' + "`n" +
            '<feedback><report_metadata><org_name>reporter.example</org_name><email>d@reporter.example</email>' +
            "<report_id>$Id</report_id><date_range><begin>1700000000</begin><end>1700086399</end></date_range></report_metadata>" +
            '<policy_published><domain>example.com</domain><p>reject</p></policy_published>' + ($Records -join '') + "</feedback>`n"
        }

        function New-Record([string] $Ip, [string] $Auth, [int] $Count = 1) {
            "<record><row><source_ip>$Ip</source_ip><count>$Count</count><policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf></policy_evaluated></row>" +
            "<identifiers><header_from>example.com</header_from></identifiers><auth_results>$Auth</auth_results></record>"
        }

        function ConvertTo-Gzip([string] $Text) {
            $memory = [System.IO.MemoryStream]::new()
            $gzip = [System.IO.Compression.GZipStream]::new($memory, [System.IO.Compression.CompressionLevel]::Optimal, $true)
            $bytes = [System.Text.Encoding]::UTF8.GetBytes($Text)
            $gzip.Write($bytes, 0, $bytes.Length)
            $gzip.Dispose()
            , $memory.ToArray()
        }

        function ConvertTo-Zip([string] $Name, [byte[]] $Content) {
            $memory = [System.IO.MemoryStream]::new()
            $archive = [System.IO.Compression.ZipArchive]::new($memory, [System.IO.Compression.ZipArchiveMode]::Create, $true)
            $stream = $archive.CreateEntry($Name).Open()
            $stream.Write($Content, 0, $Content.Length)
            $stream.Dispose()
            $archive.Dispose()
            , $memory.ToArray()
        }

        $records = foreach ($i in 0..2999) { New-Record -Ip ('10.1.{0}.{1}' -f [int][math]::Floor($i / 250), ($i % 250)) -Auth '<spf><domain>example.com</domain><result>pass</result></spf>' }
        [byte[]] $big = ConvertTo-Gzip (New-Aggregate -Id 'big-1' -Records $records)
        $truncated = [System.IO.Path]::Combine($folder, 'truncated.xml.gz')
        [System.IO.File]::WriteAllBytes($truncated, $big[0..([int]($big.Length / 2) - 1)])

        $good = [System.IO.Path]::Combine($folder, 'good.xml')
        [System.IO.File]::WriteAllText($good, (New-Aggregate -Id 'good-1' -Records @(New-Record -Ip '192.0.2.10' -Auth '' -Count 4)))

        $mailed = New-Aggregate -Id 'mail-1' -Records @(New-Record -Ip '198.51.100.7' -Auth '<dkim><domain>mail.example.com</domain><selector>s1</selector><result>PASS</result></dkim>' -Count 9)
        [byte[]] $zip = ConvertTo-Zip -Name 'reporter.example!example.com!1700000000!1700086399.xml' -Content ([System.Text.Encoding]::UTF8.GetBytes($mailed))
        $base64 = [Convert]::ToBase64String($zip, [Base64FormattingOptions]::InsertLineBreaks)
        $eml = [System.IO.Path]::Combine($folder, 'report.eml')
        $message = "From: noreply-dmarc@reporter.example`r`nTo: dmarc@example.com`r`nSubject: Report domain: example.com`r`n" +
            "Date: Wed, 15 Nov 2023 00:00:00 +0000`r`nMIME-Version: 1.0`r`nContent-Type: multipart/mixed; boundary=`"b1`"`r`n`r`n" +
            "--b1`r`nContent-Type: text/plain`r`n`r`nThis is an aggregate report.`r`n" +
            "--b1`r`nContent-Type: application/zip; name=`"report.zip`"`r`nContent-Disposition: attachment; filename=`"report.zip`"`r`n" +
            "Content-Transfer-Encoding: base64`r`n`r`n$base64`r`n--b1--`r`n"
        [System.IO.File]::WriteAllText($eml, $message, [System.Text.Encoding]::ASCII)
    }

    AfterAll {
        if ($folder -and [System.IO.Directory]::Exists($folder)) {
            [System.IO.Directory]::Delete($folder, $true)
        }
    }

    It 'Every conformance sample is read and the broken one gives one InvalidDmarcReport error' {
        $r = @(Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', '*')) -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 24
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDmarcReport,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be ([System.IO.Path]::Combine($samples, 'aggregate', 'invalid_xml.xml'))
        $err[0].Exception.Message | Should -BeLike '*not well-formed XML*'
        @($r.File | Select-Object -Unique) | Should -HaveCount 5
    }

    It 'Row carries typed values for csv export' {
        $r = @(Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', 'rfc9990-sample.xml')))

        $r | Should -HaveCount 1
        $r[0].GetType().FullName | Should -Be 'MailOps.Core.Reports.DmarcReportRow'
        $r[0].SourceIP | Should -Be ([System.Net.IPAddress]::Parse('192.0.2.123'))
        $r[0].Count | Should -Be 123
        $r[0].Begin | Should -Be ([DateTimeOffset]::new(1979, 8, 7, 0, 0, 0, [TimeSpan]::Zero))
        $r[0].Policy | Should -BeExactly 'quarantine'
        $r[0].Disposition | Should -BeExactly 'pass'
        $r[0].DkimDomain | Should -BeExactly 'example.com'
        $r[0].DkimAligned | Should -BeTrue
        $r[0].DmarcPass | Should -BeTrue
        @($r[0].DkimResults)[0].Selector | Should -BeExactly 'abc123'
    }

    It 'Truncated gzip is an error and the next file is still read' {
        $r = @(Import-DmarcReport -Path $truncated, $good -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDmarcReport,*'
        $err[0].TargetObject | Should -Be $truncated
        $err[0].Exception.Message | Should -BeLike '*truncated*'
        $r[-1].File | Should -Be $good
        $r[-1].SourceIP | Should -Be ([System.Net.IPAddress]::Parse('192.0.2.10'))
    }

    It 'Eml with a zipped report is read and tokens are lower cased' {
        $r = @(Import-DmarcReport -Path $eml)

        $r | Should -HaveCount 1
        $r[0].ReportId | Should -BeExactly 'mail-1'
        $r[0].Count | Should -Be 9
        $r[0].DkimResult | Should -BeExactly 'pass'
        $r[0].DkimDomain | Should -BeExactly 'mail.example.com'
        $r[0].DkimAligned | Should -BeTrue
        $r[0].File | Should -Be $eml
    }

    It 'Failure report eml is an error that says it is a failure report' {
        $r = @(Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'failure', 'dmarc_ruf_report_linkedin.eml')) -ErrorVariable err -ErrorAction SilentlyContinue)

        $r | Should -HaveCount 0
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDmarcReport,*'
        $err[0].Exception.Message | Should -BeLike '*failure report*'
    }

    It 'Objects with FullName bind Path from the pipeline in input order' {
        $r = @(
            [pscustomobject]@{ FullName = [System.IO.Path]::Combine($samples, 'aggregate', 'old_draft_from_wiki.xml') },
            [pscustomobject]@{ FullName = [System.IO.Path]::Combine($samples, 'aggregate', 'rfc9990-sample.xml') } | Import-DmarcReport)

        $r.OrgName | Should -BeExactly @('acme.com', 'Sample Reporter')
    }

    It 'Objects with PSPath bind LiteralPath as Get-ChildItem output does' {
        $r = @(Get-ChildItem -LiteralPath ([System.IO.Path]::Combine($samples, 'aggregate', 'old_draft_from_wiki.xml')) | Import-DmarcReport)

        $r | Should -HaveCount 1
        $r[0].ReportId | Should -BeExactly '9391651994964116463'
    }

    It 'Missing file is ReportFileNotFound and the other files are read' {
        $r = @(Import-DmarcReport -LiteralPath ([System.IO.Path]::Combine($folder, 'nowhere.xml')), $good -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ReportFileNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $r | Should -HaveCount 1
        $r[0].File | Should -Be $good
    }

    It 'Wildcard matching nothing is ReportFileNotFound' {
        $null = Import-DmarcReport -Path ([System.IO.Path]::Combine($folder, '*.none')) -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ReportFileNotFound,*'
    }

    It 'Folder is ReportPathNotFile' {
        $null = Import-DmarcReport -Path $folder -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ReportPathNotFile,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'Rows stream into a script block counter' {
        $n = 0
        $messages = 0
        Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', 'extract_report-nice-input.xml.zip')) | ForEach-Object { $n++; $messages += $_.Count }

        "$n $messages" | Should -BeExactly '20 3047'
    }

    It 'Verbose names the zip entry and the record count' {
        $verbose = Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', 'extract_report-nice-input.xml.zip')) -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        @($verbose | Where-Object { $_.Message -like "*zip entry 'nice-input.xml'*20 records*" }) | Should -HaveCount 1
    }

    It 'Failing sources can be filtered with Where-Object' {
        $r = @(Import-DmarcReport -Path ([System.IO.Path]::Combine($samples, 'aggregate', '*.xml')) -ErrorAction SilentlyContinue | Where-Object DmarcPass -eq $false)

        @($r | ForEach-Object { $_.SourceIP.ToString() }) | Should -BeExactly @('199.230.200.36')
    }
}
