# Mirrors tests/MailOps.PowerShell.Tests/ExportMailReportTests.cs in Pester 5: Export-MailReport
# from Test-MailDomain results and Import-DmarcReport rows, rendered by Debian's headless Chromium.
# Needs `dotnet build MailOps.sln -c Release` first, PowerShell 7.6+ and /usr/bin/chromium.

Describe 'Export-MailReport' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport
        $root = Get-MailOpsRepositoryRoot
        $sample = Join-Path $root 'tests/Conformance/reports/aggregate/example.net_example.com_1529366400_1529452799.xml'

        $key = [Convert]::ToBase64String([System.Security.Cryptography.RSA]::Create(2048).ExportSubjectPublicKeyInfo())
        $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
        $null = $zone.AddA('aspmx.l.google.com', '142.250.102.26')
        $null = $zone.AddTxt('_spf.google.com', [string[]] @('v=spf1 ip4:35.190.247.0/24 ~all'))
        $null = $zone.AddMx('good.example', 1, 'aspmx.l.google.com')
        $null = $zone.AddTxt('good.example', [string[]] @('v=spf1 include:_spf.google.com -all'))
        $null = $zone.AddLongTxt('google._domainkey.good.example', "v=DKIM1; k=rsa; p=$key")
        $null = $zone.AddTxt('_dmarc.good.example', [string[]] @('v=DMARC1; p=reject; rua=mailto:dmarc@good.example'))
        $null = $zone.AddMx('noinclude.example', 1, 'aspmx.l.google.com')
        $null = $zone.AddTxt('noinclude.example', [string[]] @('v=spf1 ip4:192.0.2.0/24 -all'))
        $null = $zone.AddTxt('_dmarc.noinclude.example', [string[]] @('v=DMARC1; p=reject'))
        $server = New-TestDnsServer -Zone $zone
        $dns = $server.Endpoint

        function Export-TestReport {
            param([string] $File, [hashtable] $Extra = @{})
            $items = @(Test-MailDomain good.example, noinclude.example -Server $dns) + @(Import-DmarcReport -Path $sample)
            $items | Export-MailReport -Path $File -Title 'Contoso mail' @Extra
        }

        function Invoke-Chromium {
            param([string] $Profile, [string[]] $Arguments)
            & /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync "--user-data-dir=$Profile" @Arguments 2>$null
        }
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    BeforeEach {
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('mailops-report-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $folder
    }

    AfterEach {
        Remove-Item -LiteralPath $folder -Recurse -Force
    }

    It 'Report is one self contained file with domains tree and chart' {
        $file = Join-Path $folder 'report.html'
        $r = Export-TestReport -File $file -Extra @{ PassThru = $true }

        $r.FullName | Should -BeExactly $file
        $html = Get-Content -LiteralPath $file -Raw
        $html | Should -Match 'good\.example'
        $html | Should -Match 'noinclude\.example'
        $html | Should -Match 'ProviderSpfIncludeMissing'
        $html | Should -Match '_spf\.google\.com'
        $html | Should -Match '<svg'
        $html | Should -Not -Match '<script'
        $html | Should -Not -Match '<link'
        $html | Should -Not -Match 'src="http'
    }

    It 'Headless chromium renders the page with every section' {
        $file = Join-Path $folder 'report.html'
        Export-TestReport -File $file
        $uri = ([Uri] $file).AbsoluteUri
        $profileDir = Join-Path $folder 'chromium-profile'
        $png = Join-Path $folder 'report.png'

        $dom = (Invoke-Chromium -Profile $profileDir -Arguments @('--dump-dom', $uri)) -join "`n"
        Invoke-Chromium -Profile $profileDir -Arguments @("--screenshot=$png", '--window-size=1280,2400', $uri) | Out-Null

        $dom | Should -Match '<title>Contoso mail</title>'
        $dom | Should -Match 'id="summary"'
        $dom | Should -Match 'id="d-good-example"'
        $dom | Should -Match 'id="dmarc"'
        $dom | Should -Match 'class="pass"'
        (Get-Item -LiteralPath $png).Length | Should -BeGreaterThan 10000
    }

    It 'WhatIf writes nothing' {
        $file = Join-Path $folder 'whatif.html'
        Export-TestReport -File $file -Extra @{ WhatIf = $true }

        Test-Path -LiteralPath $file | Should -BeFalse
        @(Get-ChildItem -LiteralPath $folder) | Should -HaveCount 0
    }

    It 'NoClobber refuses an existing file and leaves it as it was' {
        $file = Join-Path $folder 'exists.html'
        Set-Content -LiteralPath $file -Value 'keep me' -NoNewline

        { Export-TestReport -File $file -Extra @{ NoClobber = $true; ErrorAction = 'Stop' } } | Should -Throw
        Get-Content -LiteralPath $file -Raw | Should -BeExactly 'keep me'
    }

    It 'Other objects get an error each and the report is still written' {
        $file = Join-Path $folder 'mixed.html'
        @('just a string', (Test-MailDomain good.example -Server $dns)) |
            Export-MailReport -Path $file -ErrorVariable err -ErrorAction SilentlyContinue

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedReportInput*'
        Get-Content -LiteralPath $file -Raw | Should -Match 'good\.example'
    }
}
