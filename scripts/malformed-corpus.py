#!/usr/bin/env python3
"""Regenerates crates/innoscope/tests/malformed/: malformed files derived
from the real formats (the heads of the files in ../shared/data and of the
repository's fixtures), one case per directory, and `cases.csv` with the
outcome each must have. `crates/innoscope/tests/malformed.rs` imports every
case with the `innoscope` binary into an empty store and checks it.

    python3 scripts/malformed-corpus.py [SHARED_DATA_DIR]

Outcomes: `refused` (exit code 2, nothing written to the store; `expect`
must appear in the message, usually file:line and the field) or `accepted`
(exit 0; `expect` must appear in what the import says, a named warning).
"""
import csv
import io
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'data')
OUT = os.path.join(ROOT, 'crates', 'innoscope', 'tests', 'malformed')
FIX = os.path.join(ROOT, 'crates', 'innoscope-import', 'tests', 'fixtures')


def raw(path):
    with open(path, 'rb') as f:
        return f.read()


def head(path, n, enc='utf-8', newline='\n'):
    """The first n lines of a real file, as text with its own line ends."""
    b = raw(path).replace(b'\r\n', b'\n').replace(b'\r', b'\n')
    lines = b.split(b'\n')[:n]
    return newline.join(l.decode(enc) for l in lines) + newline


def lines_of(text):
    return text.split('\n')


def set_field(text, i, field, value):
    """Line i (0 = header) with CSV field `field` set to value."""
    ls = lines_of(text)
    row = next(csv.reader([ls[i]]))
    row[field] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator='').writerow(row)
    ls[i] = buf.getvalue()
    return '\n'.join(ls)


WDI = os.path.join(SHARED, 'wdi', 'gb.xpd.rsdv.gd.zs.csv')
NCSES = os.path.join(SHARED, 'ncses', 'tidy', 'pct_applications_by_country_sector_2000_2022.csv')
WIR = os.path.join(SHARED, 'unctad-wir2022', 'WIR2022_annex_tab01_fdi_inflows.csv')
FED = os.path.join(SHARED, 'fx-fed', 'annual.csv')
QS = os.path.join(SHARED, 'qs-rankings', 'qs-world-university-rankings-2017-to-2022-V2.csv')
UNICORN = os.path.join(SHARED, 'unicorns', 'Unicorn_Companies_maven_2022-04.csv')
ESPACENET = os.path.join(SHARED, 'patent-samples', 'espacenet', 'pizza_small.csv')
LENS = os.path.join(SHARED, 'patent-samples', 'lens', 'lens_autonomous_search_2017.csv')
GOOGLE = os.path.join(SHARED, 'patent-samples', 'google-patents', 'google_autonomous_search_2017.csv')
PSCOPE = os.path.join(SHARED, 'patent-samples', 'patentscope', 'pizza_medium_2015.csv')

wdi = head(WDI, 12)
wide = raw(os.path.join(FIX, 'API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_123.csv')).decode('utf-8-sig')
api = raw(os.path.join(FIX, 'wb_api.json')).decode('utf-8')
ncses = head(NCSES, 12)
wir = head(WIR, 8)
fed = head(FED, 8)
sdmx = raw(os.path.join(FIX, 'oecd_msti.csv')).decode('utf-8')
unctadstat = raw(os.path.join(FIX, 'unctadstat_ict_goods.csv')).decode('utf-8')
wipo = raw(os.path.join(FIX, 'wipo_pct_by_origin.csv')).decode('utf-8-sig')
tidy = raw(os.path.join(FIX, 'tidy.csv')).decode('utf-8')
qs = head(QS, 8)
unicorn = head(UNICORN, 8)
espacenet = head(ESPACENET, 6)
lens = head(LENS, 6)
google = head(GOOGLE, 6)
pscope = head(PSCOPE, 6, enc='latin-1')
board = raw(os.path.join(ROOT, 'data', 'fixtures', 'eu-scoreboard-2021-fixture.csv')).decode('utf-8')
board = '\n'.join(board.split('\n')[:6]) + '\n'
vc = raw(os.path.join(ROOT, 'data', 'fixtures', 'venture-capital-fixture.csv')).decode('utf-8')
vc = '\n'.join(vc.split('\n')[:6]) + '\n'

T201 = 'appln_id,appln_auth,appln_nr,appln_kind,appln_filing_date,appln_filing_year,docdb_family_id\n'
T206 = 'person_id,person_name,person_ctry_code\n'
T207 = 'person_id,appln_id,applt_seq_nr,invt_seq_nr\n'
T209 = 'appln_id,ipc_class_symbol\n'
A201 = T201 + '1,"WO","1","W",2020-01-10,2020,1\n2,"WO","2","W",2020-02-10,2020,2\n'
A206 = T206 + '10,"ACME WIDGETS LLC","US"\n11,"SIEMENS AG","DE"\n'
A207 = T207 + '10,1,1,0\n11,1,2,0\n10,2,1,0\n'
A209 = T209 + '1,"A61K  39/00"\n2,"H04W   4/00"\n'
PV_PATENT = raw(os.path.join(FIX, 'patentsview', 'g_patent.tsv')).decode('utf-8')

# (slug, {file name: bytes or text}, outcome, expect)
CASES = [
    # --- World Bank WDI, long layout (datahub mirror) ---
    ('wdi-no-value-column', {'gb.xpd.rsdv.gd.zs.csv': wdi.replace(',Value', ',Amount', 1)}, 'refused', 'cannot tell the format'),
    ('wdi-text-value', {'gb.xpd.rsdv.gd.zs.csv': set_field(wdi, 3, 3, 'n/a (see note)')}, 'refused', 'gb.xpd.rsdv.gd.zs.csv:4'),
    ('wdi-text-year', {'gb.xpd.rsdv.gd.zs.csv': set_field(wdi, 2, 2, '20x4')}, 'refused', 'gb.xpd.rsdv.gd.zs.csv:3'),
    ('wdi-year-out-of-range', {'gb.xpd.rsdv.gd.zs.csv': set_field(wdi, 2, 2, '20044')}, 'refused', 'gb.xpd.rsdv.gd.zs.csv:3'),
    ('wdi-unknown-code', {'gb.xpd.rsdv.gd.zs.csv': set_field(set_field(wdi, 5, 1, 'XQZ'), 5, 0, 'Atlantis')}, 'accepted', 'XQZ'),
    ('wdi-decimal-comma', {'gb.xpd.rsdv.gd.zs.csv': set_field(wdi, 4, 3, '0,61')}, 'refused', 'gb.xpd.rsdv.gd.zs.csv:5'),
    ('wdi-empty', {'gb.xpd.rsdv.gd.zs.csv': ''}, 'refused', 'file is empty'),
    ('wdi-blank-lines-first', {'gb.xpd.rsdv.gd.zs.csv': '\n\n' + wdi}, 'refused', 'blank lines'),
    ('wdi-header-only', {'gb.xpd.rsdv.gd.zs.csv': lines_of(wdi)[0] + '\n'}, 'refused', 'gb.xpd.rsdv.gd.zs.csv'),
    ('wdi-cut-mid-row', {'gb.xpd.rsdv.gd.zs.csv': wdi.rstrip('\n').rsplit(',', 2)[0]}, 'refused', 'gb.xpd.rsdv.gd.zs.csv:12'),
    ('wdi-duplicate-value', {'gb.xpd.rsdv.gd.zs.csv': wdi + lines_of(set_field(wdi, 1, 3, '9.99'))[1] + '\n'}, 'refused', 'gb.xpd.rsdv.gd.zs.csv:13'),
    ('wdi-no-indicator-in-name', {'rd.csv': wdi}, 'refused', '--indicator'),
    ('wdi-utf16-no-bom', {'gb.xpd.rsdv.gd.zs.csv': wdi.encode('utf-16-le')}, 'refused', 'UTF-16 without a byte-order mark'),
    ('wdi-utf16-with-bom', {'gb.xpd.rsdv.gd.zs.csv': b'\xff\xfe' + wdi.encode('utf-16-le')}, 'accepted', 'gb.xpd.rsdv.gd.zs.csv: wdi'),
    ('wdi-cr-only', {'gb.xpd.rsdv.gd.zs.csv': wdi.replace('\n', '\r')}, 'accepted', 'gb.xpd.rsdv.gd.zs.csv: wdi'),
    ('wdi-semicolons', {'gb.xpd.rsdv.gd.zs.csv': wdi.replace(',', ';')}, 'refused', 'cannot tell the format'),
    ('wdi-binary', {'gb.xpd.rsdv.gd.zs.csv': bytes(range(256)) * 8}, 'refused', 'cannot tell the format'),
    # --- WDI wide bulk download ---
    ('wide-no-indicator-code', {'API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_123.csv': wide.replace('"Indicator Code",', '"Code",', 1)}, 'refused', 'Indicator Code'),
    ('wide-text-year-header', {'API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_123.csv': wide.replace('"2019"', '"Y2019"', 1)}, 'refused', 'Y2019'),
    ('wide-text-value', {'API_GB.XPD.RSDV.GD.ZS_DS2_en_csv_v2_123.csv': wide.replace('"4.63"', '"4.63 (est.)"', 1)}, 'refused', '4.63 (est.)'),
    # --- World Bank API v2 JSON ---
    ('api-error-message', {'gdp.json': '[{"message":[{"id":"120","key":"Invalid value","value":"The provided parameter value is not valid"}]}]'}, 'refused', 'the API returned an error'),
    ('api-null-records', {'gdp.json': '[{"page":0,"pages":0,"per_page":50,"total":0},null]'}, 'refused', 'no record array'),
    ('api-text-value', {'gdp.json': api.replace('"value":14687673892882.0', '"value":"14,687"', 1)}, 'refused', 'is not a JSON number'),
    ('api-cut-short', {'gdp.json': api[: len(api) // 2]}, 'refused', 'not valid JSON'),
    ('api-object-not-array', {'gdp.json': '{"page":1,"pages":1}'}, 'refused', 'expected a JSON array'),
    ('api-record-without-date', {'gdp.json': api.replace('"date":"', '"year":"', 1)}, 'refused', 'date'),
    # --- NCSES tidy tables ---
    ('ncses-no-applications-column', {'pct_applications_by_country_sector_2000_2022.csv': ncses.replace(',applications', ',apps', 1)}, 'refused', 'cannot tell the format'),
    ('ncses-text-count', {'pct_applications_by_country_sector_2000_2022.csv': set_field(ncses, 3, 4, 'many')}, 'refused', ':4'),
    ('ncses-na-marker', {'pct_applications_by_country_sector_2000_2022.csv': set_field(ncses, 3, 4, 'na')}, 'accepted', '1 empty'),
    ('ncses-unknown-economy', {'pct_applications_by_country_sector_2000_2022.csv': set_field(set_field(ncses, 5, 1, 'Atlantis'), 5, 0, 'World > Atlantis')}, 'accepted', 'Atlantis'),
    # --- UNCTAD World Investment Report annex ---
    ('wir-text-value', {'WIR2022_annex_tab01_fdi_inflows.csv': set_field(wir, 2, 5, '12 345')}, 'refused', ':3'),
    ('wir-year-header-text', {'WIR2022_annex_tab01_fdi_inflows.csv': wir.replace(',1991,', ',year1991,', 1)}, 'refused', 'year1991'),
    ('wir-unknown-economy', {'WIR2022_annex_tab01_fdi_inflows.csv': set_field(wir, 4, 2, 'Neverland')}, 'accepted', 'Neverland'),
    # --- UNCTADstat bulk CSV ---
    ('unctadstat-text-value', {'US.ICTGoodsTrade.csv': set_field(unctadstat, 1, 7, 'two billion')}, 'refused', ':2'),
    ('unctadstat-bad-year', {'US.ICTGoodsTrade.csv': set_field(unctadstat, 1, 0, '19x9')}, 'refused', ':2'),
    # --- OECD SDMX-CSV ---
    ('sdmx-quarterly-period', {'msti.csv': set_field(sdmx, 1, 14, '2019-Q1')}, 'refused', 'quarterly or monthly period'),
    ('sdmx-no-obs-value', {'msti.csv': sdmx.replace('OBS_VALUE,', 'VALUE,', 1)}, 'refused', 'cannot tell the format'),
    ('sdmx-text-value', {'msti.csv': set_field(sdmx, 2, 16, 'confidential')}, 'refused', 'msti.csv:3'),
    ('sdmx-unknown-area', {'msti.csv': set_field(sdmx, 1, 4, 'XQZ')}, 'accepted', 'XQZ'),
    # --- WIPO IP statistics data center export (read from the user's files) ---
    ('wipo-no-preamble', {'pct.csv': '\n'.join(l for l in wipo.split('\n') if ',' in l) + '\n'}, 'accepted', 'pct.csv'),
    ('wipo-text-count', {'pct.csv': wipo.replace('China,CN,International Bureau,Total,58990', 'China,CN,International Bureau,Total,lots', 1)}, 'refused', 'pct.csv:8'),
    ('wipo-short-row', {'pct.csv': wipo.replace('Germany,DE,International Bureau,Total,19358,18643,17322,', 'Germany,DE,International Bureau', 1)}, 'refused', 'pct.csv:11'),
    # --- Federal Reserve H.10 annual ---
    ('fed-impossible-date', {'annual.csv': set_field(fed, 1, 0, '1971-13-45')}, 'refused', 'annual.csv:2'),
    ('fed-no-rate-column', {'annual.csv': fed.replace('Exchange rate', 'Rate', 1)}, 'refused', 'cannot tell the format'),
    ('fed-no-data-marker', {'annual.csv': set_field(fed, 3, 2, 'ND')}, 'accepted', '1 empty'),
    ('fed-text-rate', {'annual.csv': set_field(fed, 3, 2, 'twelve')}, 'refused', 'annual.csv:4'),
    # --- innoscope's tidy layout ---
    ('tidy-no-unit-column', {'tidy.csv': tidy.replace(',unit,', ',units,', 1)}, 'refused', 'column 5 is `units`'),
    ('tidy-text-value', {'tidy.csv': set_field(tidy, 1, 3, 'about 9 million')}, 'refused', 'tidy.csv:2'),
    ('tidy-unknown-economy', {'tidy.csv': set_field(tidy, 2, 0, 'XQZ')}, 'accepted', 'XQZ'),
    # --- Record lists: QS, unicorns, scoreboard, venture capital ---
    ('qs-no-university-column', {'qs.csv': qs.replace(',university,', ',institution,', 1)}, 'refused', 'cannot tell the format'),
    ('qs-text-year', {'qs.csv': set_field(qs, 2, 2, 'twenty')}, 'refused', 'qs.csv:3'),
    ('unicorns-text-valuation', {'unicorns.csv': set_field(unicorn, 2, 1, 'a lot')}, 'refused', 'unicorns.csv:3'),
    ('unicorns-impossible-date', {'unicorns.csv': set_field(unicorn, 3, 2, '2017-02-30')}, 'refused', 'unicorns.csv:4'),
    ('scoreboard-text-rd', {'scoreboard.csv': set_field(board, 2, 4, 'n.a.')}, 'refused', 'scoreboard.csv:3'),
    ('vc-text-amount', {'vc.csv': set_field(vc, 2, 3, 'USD 2bn')}, 'refused', 'vc.csv:3'),
    # --- Patent exports ---
    ('espacenet-cut-in-quotes', {'espacenet.csv': espacenet[: espacenet.rfind('"') - 5]}, 'refused', 'espacenet.csv'),
    ('espacenet-header-only', {'espacenet.csv': lines_of(espacenet)[0] + '\n'}, 'refused', 'espacenet.csv'),
    ('espacenet-impossible-date', {'espacenet.csv': espacenet.replace('"2015-02-11"', '"45/13/2015"', 1)}, 'refused', 'is not a date'),
    ('lens-cut-mid-row', {'lens.csv': lens[: len(lens) - len(lines_of(lens)[-2]) * 2 // 3 - 1]}, 'refused', 'lens.csv'),
    ('lens-year-99999', {'lens.csv': set_field(lens, 2, 6, '99999')}, 'refused', '99999'),
    ('google-header-twice', {'google.csv': google + lines_of(google)[1] + '\n'}, 'refused', 'the header line appears again'),
    ('google-no-id-column', {'google.csv': google.replace('\nid,', '\nnumber,', 1)}, 'refused', 'google.csv'),
    ('patentscope-latin1-cr-only', {'patentscope.csv': pscope.replace('\n', '\r').encode('latin-1')}, 'accepted', 'patentscope.csv'),
    # --- PATSTAT tables ---
    ('patstat-duplicate-appln-id', {'tls201_appln.csv': A201 + '2,"WO","3","W",2020-03-10,2020,3\n', 'tls206_person.csv': A206, 'tls207_pers_appln.csv': A207, 'tls209_appln_ipc.csv': A209}, 'refused', 'appear more than once in tls201'),
    ('patstat-dangling-person', {'tls201_appln.csv': A201, 'tls206_person.csv': A206, 'tls207_pers_appln.csv': A207 + '99,2,2,0\n', 'tls209_appln_ipc.csv': A209}, 'refused', 'name a person that tls206 does not hold'),
    ('patstat-missing-column', {'tls201_appln.csv': A201.replace(',appln_auth', '', 1).replace(',"WO"', '', 2), 'tls206_person.csv': A206, 'tls207_pers_appln.csv': A207, 'tls209_appln_ipc.csv': A209}, 'refused', 'appln_auth'),
    ('patstat-no-filing-year-column', {'tls201_appln.csv': A201.replace(',appln_filing_year', '', 1).replace(',2020,', ',', 2), 'tls206_person.csv': A206, 'tls207_pers_appln.csv': A207, 'tls209_appln_ipc.csv': A209}, 'accepted', 'applications 2'),
    ('patstat-extra-field', {'tls201_appln.csv': A201.replace(',appln_filing_year', '', 1)}, 'refused', 'tls201_appln.csv:2'),
    ('patstat-one-table-only', {'tls209_appln_ipc.csv': A209}, 'refused', 'tls209_appln_ipc.csv'),
    ('patstat-text-year', {'tls201_appln.csv': A201.replace(',2020,1\n', ',MMXX,1\n', 1), 'tls206_person.csv': A206, 'tls207_pers_appln.csv': A207, 'tls209_appln_ipc.csv': A209}, 'refused', 'tls201_appln.csv:2'),
    ('patstat-unknown-table', {'tls999_other.csv': A201}, 'refused', 'tls999_other.csv'),
    # --- PatentsView bulk tables ---
    ('patentsview-comma-separated', {'g_patent.tsv': PV_PATENT.replace('\t', ',')}, 'refused', 'g_patent.tsv'),
    ('patentsview-missing-column', {'g_patent.tsv': PV_PATENT.replace('patent_date', 'date', 1)}, 'refused', 'patent_date'),
]


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    with open(os.path.join(OUT, 'cases.csv'), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\n')
        w.writerow(['case', 'files', 'outcome', 'expect'])
        for slug, files, outcome, expect in CASES:
            d = os.path.join(OUT, slug)
            os.makedirs(d)
            for name, body in files.items():
                data = body if isinstance(body, bytes) else body.encode('utf-8')
                with open(os.path.join(d, name), 'wb') as g:
                    g.write(data)
            w.writerow([slug, ' '.join(files), outcome, expect])
    with open(os.path.join(OUT, 'README.md'), 'w') as f:
        f.write(README.format(n=len(CASES)))
    print(f'{len(CASES)} cases in {OUT}')


README = '''# Malformed inputs

{n} cases, one directory each, listed in `cases.csv` with the outcome each
must have (`refused`: exit code 2, the words of `expect` in the message and
nothing in the store; `accepted`: exit 0 and the words of `expect` in what
the import says). `tests/malformed.rs` imports each with the binary into an
empty store.

The files are the first lines of real files in their published layouts,
changed in one place: the World Bank WDI mirror, the NCSES tidy tables, the
UNCTAD WIR annex, the Federal Reserve H.10 table, the QS rankings, the
unicorn list and the patent exports of `shared/data` (sources and licences
in `shared/data/PROVENANCE.md`), and the fixtures of
`crates/innoscope-import/tests/fixtures` and `data/fixtures` for layouts
with no public sample here (WDI wide, API JSON, SDMX, UNCTADstat, WIPO,
scoreboard, venture capital, PatentsView). PATSTAT tables are written from
its published column layout. Generated by `scripts/malformed-corpus.py`;
do not edit by hand.
'''


if __name__ == '__main__':
    main()
