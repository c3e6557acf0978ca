# Mirrors tests/MailOps.PowerShell.Tests/EmailAddressTests.cs in Pester 5: Test-EmailAddress
# through real pwsh and a real DNS server on loopback, with the zone of EmailAddressFixture.cs
# (built below). Needs `dotnet build MailOps.sln -c Release` first and pwsh on .NET 10
# (PowerShell 7.6+) for the TestSupport DNS server.

BeforeDiscovery {
    $verdictCases = @(
        @{ Address = 'anna@implicit.example'; Verdict = 'Valid'; Codes = '' }
        @{ Address = 'anna@nullmx.example'; Verdict = 'Invalid'; Codes = 'NullMx' }
        @{ Address = 'anna@missing.example'; Verdict = 'Invalid'; Codes = 'DomainNotFound' }
        @{ Address = 'anna@nomail.example'; Verdict = 'Invalid'; Codes = 'NoMailServer' }
        @{ Address = 'anna@servfail.example'; Verdict = 'Unknown'; Codes = 'DnsError' }
        @{ Address = 'anna@mailinator.com'; Verdict = 'Risky'; Codes = 'Disposable' }
        @{ Address = 'postmaster@[192.0.2.1]'; Verdict = 'Risky'; Codes = 'AddressLiteral' }
        @{ Address = 'anna(x)@contoso.example'; Verdict = 'Invalid'; Codes = 'SyntaxInvalid' }
    )
    $typoCases = @(
        @{ Typed = 'anna@hotmial.com'; Intended = 'anna@hotmail.com' }
        @{ Typed = 'anna@gmail.con'; Intended = 'anna@gmail.com' }
        @{ Typed = 'anna@gamil.com'; Intended = 'anna@gmail.com' }
        @{ Typed = 'anna@yaho.com'; Intended = 'anna@yahoo.com' }
        @{ Typed = 'anna@outlok.com'; Intended = 'anna@outlook.com' }
        @{ Typed = 'anna@gmail.co'; Intended = 'anna@gmail.com' }
        @{ Typed = 'anna@iclod.com'; Intended = 'anna@icloud.com' }
        @{ Typed = 'anna@hotmail.comm'; Intended = 'anna@hotmail.com' }
        @{ Typed = 'anna@gmail,com'; Intended = 'anna@gmail.com' }
    )
    $realCases = @(
        'anna@gmx.com', 'anna@mail.com', 'anna@me.com', 'anna@yahoo.de', 'anna@hotmail.de',
        'anna@gmail.de', 'anna@web.de', 'anna@wp.pl', 'anna@live.com', 'anna@contoso.com'
    ) | ForEach-Object { @{ Address = $_ } }
}

Describe 'Test-EmailAddress' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'MailOps.TestHelpers.ps1'))
        Import-MailOpsModule
        Import-MailOpsTestSupport

        # The zone of EmailAddressFixture.cs. AddTxt gets a [string[]] so the string overload is chosen.
        function New-EmailAddressFixtureZone {
            $zone = [MailOps.TestSupport.Dns.DnsZone]::new()
            $null = $zone.AddMx('contoso.example', 10, 'mail.contoso.example')
            $null = $zone.AddA('mail.contoso.example', '192.0.2.25')
            $null = $zone.AddMx('fabrikam.example', 10, 'mail.fabrikam.example')
            $null = $zone.AddA('implicit.example', '192.0.2.26')
            $null = $zone.AddMx('nullmx.example', 0, '.')
            $null = $zone.AddTxt('nomail.example', [string[]] @('v=spf1 -all'))
            $null = $zone.AddMx('servfail.example', 10, 'mail.servfail.example')
            $null = $zone.AddMx('slow.example', 10, 'mail.slow.example')
            $null = $zone.AddMx('gmial.com', 10, 'mx.gmial.com')
            $null = $zone.AddMx('gmail.com', 5, 'gmail-smtp-in.l.google.com')
            $null = $zone.AddMx('hotmail.com', 5, 'hotmail-com.olc.protection.outlook.com')
            $null = $zone.AddMx('mailinator.com', 10, 'mail.mailinator.com')
            $zone
        }

        $server = New-TestDnsServer -Zone (New-EmailAddressFixtureZone)
        $server.SetFault('servfail.example', 'MX', [MailOps.TestSupport.Dns.DnsFault]::ServerFailure)
        # '*' is the all-types key (PowerShell would pass $null to a .NET string as '').
        $server.SetLatency('slow.example', '*', [System.TimeSpan]::FromMilliseconds(300))
        $dns = $server.Endpoint

        function Get-ReasonCode {
            param([object] $Row)
            @($Row.Reasons | ForEach-Object { ($_ -split ':', 2)[0] })
        }
    }

    AfterAll {
        if ($server) {
            $server.Dispose()
        }
    }

    It 'An address at a domain with mx is Valid' {
        $r = @(Test-EmailAddress -Address 'Anna@Contoso.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 1
        $r[0].Verdict | Should -Be 'Valid'
        $r[0].Address | Should -BeExactly 'Anna@Contoso.example'
        $r[0].Normalized | Should -BeExactly 'Anna@contoso.example'
        $r[0].Domain | Should -BeExactly 'contoso.example'
        $r[0].IsSyntaxValid | Should -BeTrue
        $r[0].HasMx | Should -BeTrue
        $r[0].AcceptsMail | Should -BeTrue
        $r[0].Suggestion | Should -Be $null
        $r[0].IsSuppressed | Should -Be $null
        @($r[0].Reasons) | Should -HaveCount 0
    }

    It 'The verdict of <Address> is <Verdict>' -ForEach $verdictCases {
        $r = @(Test-EmailAddress -Address $Address -Server $dns)

        $r | Should -HaveCount 1
        [string] $r[0].Verdict | Should -BeExactly $Verdict
        (Get-ReasonCode $r[0]) -join ',' | Should -BeExactly $Codes
    }

    It 'A null mx domain accepts no mail' {
        $r = Test-EmailAddress -Address 'anna@nullmx.example' -Server $dns

        $r.HasMx | Should -BeTrue
        $r.IsNullMx | Should -BeTrue
        $r.AcceptsMail | Should -BeFalse
    }

    It 'A servfail is not an error but an Unknown row' {
        $r = @(Test-EmailAddress -Address 'anna@servfail.example' -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r[0].AcceptsMail | Should -Be $null
    }

    It '<Typed> suggests <Intended>' -ForEach $typoCases {
        $r = Test-EmailAddress -Address $Typed -Server $dns

        $r.Suggestion | Should -BeExactly $Intended
        $r.Verdict | Should -Be 'Invalid'
        $r.Reasons | Should -Contain "LikelyTypo: did you mean $Intended?"
    }

    It '<Address> is a real domain and is never corrected' -ForEach $realCases {
        # Not in the test zone, so DNS says NXDOMAIN: the domain list alone must protect them.
        (Test-EmailAddress -Address $Address -Server $dns).Suggestion | Should -Be $null
    }

    It 'A typo like domain with mx records is a real domain and is not corrected' {
        $r = Test-EmailAddress -Address 'anna@gmial.com' -Server $dns

        $r.Suggestion | Should -Be $null
        $r.Verdict | Should -Be 'Valid'
    }

    It 'SkipDns asks nothing and gives Unknown with null dns properties' {
        $server.ClearLog()
        $r = @(Test-EmailAddress -Address 'anna@fabrikam.example' -SkipDns)

        $r[0].Verdict | Should -Be 'Unknown'
        (Get-ReasonCode $r[0]) | Should -BeExactly @('DnsSkipped')
        $r[0].HasMx | Should -Be $null
        $server.QueryCount | Should -Be 0
    }

    It 'SkipDns still suggests a one edit typo of a popular domain' {
        $r = Test-EmailAddress -Address 'anna@hotmial.com' -SkipDns

        $r.Suggestion | Should -BeExactly 'anna@hotmail.com'
        $r.Verdict | Should -Be 'Risky'
    }

    It 'Quiet returns true only for Valid' {
        $r = @(Test-EmailAddress -Address 'anna@contoso.example', 'anna@nullmx.example', 'anna@mailinator.com', 'anna@servfail.example', 'garbage' -Server $dns -Quiet)

        $r | Should -Be @($true, $false, $false, $false, $false)
    }

    It 'Many addresses come back in input order and each domain is asked once' {
        $server.ClearLog()
        $addresses = foreach ($i in 0..29) {
            switch ($i % 3) {
                0 { "u$i@slow.example" }
                1 { "u$i@contoso.example" }
                default { "u$i@hotmial.com" }
            }
        }

        $r = @(Test-EmailAddress -Address $addresses -Server $dns -ThrottleLimit 8)

        $r.Address | Should -BeExactly $addresses
        $server.CountQueries('slow.example', 'MX') | Should -Be 1
        $server.CountQueries('contoso.example', 'MX') | Should -Be 1
        $server.CountQueries('hotmial.com', 'MX') | Should -Be 1
    }

    It 'Csv like rows bind Email Address or Recipient by property name' {
        $r = @(
            [pscustomobject]@{ Email = 'anna@contoso.example'; Name = 'Anna' }
            [pscustomobject]@{ Address = 'bob@hotmial.com'; Name = 'Bob' }
            [pscustomobject]@{ Recipient = 'carol@nullmx.example'; Name = 'Carol' }
            [pscustomobject]@{ EmailAddress = 'dave@fabrikam.example'; Name = 'Dave' }
        ) | Test-EmailAddress -Server $dns

        $r.Address | Should -BeExactly @('anna@contoso.example', 'bob@hotmial.com', 'carol@nullmx.example', 'dave@fabrikam.example')
        @($r | ForEach-Object { [string] $_.Verdict }) | Should -BeExactly @('Valid', 'Invalid', 'Invalid', 'Valid')
    }

    It 'Garbage inputs each give an Invalid row and the others still run' {
        $r = @('anna@contoso.example', '', '@', 'no-at-sign', 'a@b@c', "tab`t@contoso.example", 'x@[999.1.1.1]', 'bob@fabrikam.example' |
            Test-EmailAddress -Server $dns -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 0
        $r | Should -HaveCount 8
        @($r | ForEach-Object { [string] $_.Verdict }) | Should -BeExactly @('Valid', 'Invalid', 'Invalid', 'Invalid', 'Invalid', 'Invalid', 'Invalid', 'Valid')
        $r[1..6] | ForEach-Object { $_.Reasons[0] | Should -BeLike 'SyntaxInvalid: *' }
    }

    It 'Results pipe into Where-Object on Verdict' {
        $r = @('anna@contoso.example', 'anna@hotmial.com', 'bob@fabrikam.example' | Test-EmailAddress -Server $dns | Where-Object Verdict -ne 'Valid')

        $r | Should -HaveCount 1
        $r[0].Suggestion | Should -BeExactly 'anna@hotmail.com'
    }

    It 'An international address is flagged' {
        $r = Test-EmailAddress -Address 'jörg@contoso.example' -Server $dns

        $r.IsInternational | Should -BeTrue
        $r.RequiresSmtpUtf8 | Should -BeTrue
        $r.Verdict | Should -Be 'Valid'
    }

    It 'Verbose shows the dns questions and each address outcome' {
        $verbose = Test-EmailAddress -Address 'anna@fabrikam.example' -Server $dns -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } |
            ForEach-Object Message

        $verbose | Where-Object { $_.StartsWith('DNS MX fabrikam.example') } | Should -Not -BeNullOrEmpty
        $verbose | Where-Object { $_.StartsWith('anna@fabrikam.example: fabrikam.example has MX mail.fabrikam.example') } | Should -Not -BeNullOrEmpty
    }

    It 'A bad server is an InvalidDnsServer error' {
        $r = @(Test-EmailAddress -Address 'anna@contoso.example' -Server 'not a server:x' -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidDnsServer*'
        $r | Should -HaveCount 0
    }

    It 'A suppressed address is Risky and the others are not suppressed' {
        $store = Join-Path ([System.IO.Path]::GetTempPath()) ("mailops-address-{0}.db" -f [guid]::NewGuid().ToString('N'))
        try {
            Add-MailSuppression -Path $store -Address 'anna@contoso.example' -Reason 'hard bounce'
            $r = @('anna@contoso.example', 'bob@contoso.example' | Test-EmailAddress -Server $dns -StorePath $store)

            $r[0].IsSuppressed | Should -BeTrue
            $r[1].IsSuppressed | Should -BeFalse
            @($r | ForEach-Object { [string] $_.Verdict }) | Should -BeExactly @('Risky', 'Valid')
            (Get-ReasonCode $r[0]) | Should -BeExactly @('Suppressed')
        }
        finally {
            foreach ($file in $store, "$store-wal", "$store-shm") {
                Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
            }
        }
    }

    It 'A store that does not exist is one error and IsSuppressed stays null' {
        $store = Join-Path ([System.IO.Path]::GetTempPath()) ("mailops-missing-{0}.db" -f [guid]::NewGuid().ToString('N'))
        $r = @(Test-EmailAddress -Address 'anna@contoso.example' -Server $dns -StorePath $store -ErrorVariable err -ErrorAction SilentlyContinue)

        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'SuppressionListNotFound*'
        [string] $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $r | Should -HaveCount 1
        $r[0].IsSuppressed | Should -Be $null
        Test-Path -LiteralPath $store | Should -BeFalse
    }
}
