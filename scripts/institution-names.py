#!/usr/bin/env python3
"""Regenerates crates/innoscope-core/tests/data/institution-names-real.csv:
the institution names of the patent samples and the QS rankings in
../shared/data, with the hand labels below (see tests/data/README.md).

    python3 scripts/institution-names.py [SHARED_DIR]
"""
import csv, collections, glob, io, os, re, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'data')
OUT = os.path.join(ROOT, 'crates/innoscope-core/tests/data/institution-names-real.csv')
os.chdir(os.path.join(SHARED, 'patent-samples'))
# Hand labels for the institution names of the patent samples.
# Each line: truth label, then the names (exact, as extracted). A truth
# starting with "qs:" is the QS ranking's own identifier of the institution.
G = r"""
agresearch-nz | AGRESEARCH LIMITED
pla-air-force-general-hospital | AIR FORCE GENERAL HOSPITAL PLA
als-tdf | ALS THERAPY DEVELOPMENT FOUNDATION, INC.
u-nebraska-regents | BOARD OF REGENTS OF THE UNIVERSITY OF NEBRASKA
ut-system | BOARD OF REGENTS, THE UNIVERSITY OF TEXAS SYSTEM
qs:michigan-state-university | BOARD OF TRUSTEES OF MICHIGAN STATE UNIVERSITY
u-illinois | BOARD OF TRUSTEES OF THE UNIVERSITY OF ILLINOIS || THE BOARD OF TRUSTEES OF THE UNIVERSITY OF ILLINOIS
qs:boston-university | BOSTON UNIVERSITY TRUSTEES
qs:brandeis-university | BRANDEIS UNIVERSITY || Brandeis University
qs:brigham-young-university | BRIGHAM YOUNG UNIVERSITY
cal-poly-foundation | CALIFORNIA POLYTECHNIC STATE UNIVERSITY FOUNDATION
cal-poly | UNIV CALIFORNIA POLYTECHNIC
cu-daegu-iacf | CATHOLIC UNIV DAEGU INDUSTRY ACADEMIC COOPERATION FOUNDATION
cedars-sinai | CEDARS-SINAI MEDICAL CENTER
crbm | CENTRE DE RECHERCHE SUR LES BIOTECHNOLOGIES MARINE
cnrs | CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE || CENTRE NATIONAL DE LA RECHERCHE SCIENTIFQUE || CENTRE NATIONALE DE LA RECHERCHE SCIENTIFIQUE
cigb-cu | CENTRO DE INGENIERIA GENETICA Y BIOTECNOLOGIA
crs4 | CENTRO DI RICERCA, SVILUPPO E STUDI SUPERIORI IN SARDEGNA SOCIETA' A RESPONSABILITA LIMITATA || CENTRO DI RICERCA, SVILUPPO E STUDI SUPERIORI IN SARDEGNA SOCIETA' A RESPONSABILITA' LIMITATA
changwon-nu-iac | CHANGWON NATIONAL UNIVERSITY INDUSTRY ACADEMY COOPERATION CORPS || NAT UNIV CHANGWON IND ACADEMY
charite | CHARITE-UNIVERSITAETSMEDIZIN
boston-childrens | CHILDREN'S MEDICAL CENTER CORPORATION || Children's Medical Center Corporation
cgn-research-institute | CHINA NUCLEAR POWER TECHNOLOGY RES INST CO LTD
pla-general-hospital | CHINESE PLA GENERAL HOSPITAL
chongqing-baxian-school | CHONGQING BAXIAN MIDDLE SCHOOL
chunsun-univ | CHUNSUN UNIVERSITY CO., LTD. || UNIV CHUNSUN CO LTD
csiro | COMMONWEALTH SCIENTIFIC AND INDUSTRIAL RESEARCH ORGANISATION
csic | CONSEJO SUPERIOR INVESTIGACION
cnr | CONSIGLIO NAZIONALE DELLE RICERCHE
cornell-research-foundation | CORNELL RES FOUNDATION INC || CORNELL RESEARCH FOUNDATION, INC. || Cornell Research Foundation, Inc.
csir-india | COUNCIL OF SCIENTIFIC AND INDUSTRIAL RESEARCH || COUNCIL SCIENT IND RES
jcvi | CRAIG J VENTER INST INC
creighton | CREIGHTON UNIVERSITY
cdc | CT FOR DISEASE CONTROL DEPT OF
pla-gld-propaganda-centre | CULTURE WORK AND NETWORK PROPAGANDA EDUCATION CENTER THE GENERAL LOGISTICS DEPT POLITICAL DEPT
qs:cornell-university | Cornell University
dana-farber | DANA-FARBER CANCER INSTITUTE, INC.
qs:technical-university-denmark | DANMARKS TEKNISKE UNIVERSITET
nl-state-wvc | DE STAAT DER NEDERLANDEN VERTEGENWOORDIGD DOOR DE MINISTER VAN WELZIJN, VOLKSGEZONDHEID EN CULTUUR
nl-state | NEDERLANDEN STAAT
qs:duke-university | DUKE UNIVERSITY
ens-cachan | ECOLE NORMALE SUPERIEURE DE CACHAN
qs:emory-university | EMORY UNIVERSITY
erasmus-mc | ERASMUS UNIVERSITY MEDICAL CENTER ROTTERDAM
etri | Electronics and Telecommunications Research  Institute || Electronics and Telecommunications Research Institute || and Telecommunications Research Institute Electronics
utrecht-medicine-faculty | FACULTEIT GENEESKUNDE UNIVERSITEIT UTRECHT
fraunhofer | FRAUNHOFER GES ZUR FÌÐRDERUNG DER ANGEWANDTEN FORSCHUNG E V || FRAUNHOFER-GESELLSCHAFT ZUR FORDERUNG || FRAUNHOFER-GESELLSCHAFT ZUR FORDERUNGDER ANGEWANDTEN FORSCHUNG E V
us-dhhs | GOVERNMENT OF THE UNITED STATES OF AMERICA, AS REPRESENTED BY THE SECRETARY, DEPT. OF HEALTH AND HUM || THE GOVERNMENT OF THE UNITED STATES OF AMERICA, AS REPRESENTED BY THE SECRETARY OF THE DEPARTMENT OF HEALTH AND HUMAN SERVICES NATIONAL INSTITUTES OF HEALTH || THE GOVERNMENT OF THE UNITED STATES OF AMERICA, as represented by THE SECRETARY, DEPARTMENT OF HEALTH AND HUMAN SERVICES || The United States of America as represented by the Department of Health and Human Services
usda | The United States of America as represented by the Secretary of Agriculture || UNITED STATES DEPARTMENT OF AGRICULTURE
us-army | The United States of America as represented by the Secretary of the Army
gyeonggi-college-iacf | GYEONGGI COLLEGE OF SCIENCE AND TECHNOLOGY INDUSTY ACADEMIC COOPERATION FOUNDATION || GYEONGGI COLLEGE OF SCIENCE AND TECHNOLOGY INDUSTY-ACADEMIC COOPERATION FOUNDATION
gas-research-institute | Gas Research Institute
qs:gwangju-institute-science-technology-gist | Gwangju Institute of Science and Technology
uk-hpa | HEALTH PROTECTION AGENCY
qs:hunan-university | Hunan University || UNIV HUNAN
icrea | ICREA INSTITUCIO CATALANA DE RECERCA I ESTUDIS AVANCATS
iit-research-institute | IIT RESEARCH INSTITUTE
kr-ind-academic-coop | IND ACADEMIC COOP
indiana-university | INDIANA UNIVERSITY
keimyung-iacf | INDUSTRY ACADEMIC COOPERATION FOUNDATION KEIMYUNG UNIVERSITY
chosun-iacf | INDUSTRY-ACADEMIC COOPERATION FOUNDATION, CHOSUN UNIVERSITY
inserm | INSERM (INSTITUT NATIONAL DE LA SANTE ET DE LA RECHERCHE MEDICALE) || INSTITUT NATIONAL DE LA SANTE ET DE LA RECHERCHE MEDICALE || INSTITUT NATIONAL DE SANTE ET DE LA RECHERCHE MEDI
ua-inst-general-emergency-surgery | INST OF GENERAL AND EMERGENCY SURGERY OF THE ACADEMY OF MEDICAL SCIENCE OF UKRAINE PUBLIC INSTITUTIO
bas-oceanology | INST OKEANOLOGIYA BAN
pasteur | INSTITUT PASTEUR || Institut Pasteur || PASTEUR INSTITUT
jp-niid | JAPAN AS REPRESENTED BY THE DIRECTOR GENERAL OF NAT INST OF INFECTIOUS DISEASES || JP NAT INST OF INFECTIOUS DISEASES
jeonbuk-city-management-institute | JEONBUK CITY MAN INST || JEONBUK CITY MANAGEMENT INSTITUTE
jinling-institute-technology | JINLING INST TECHNOLOGY
qs:ku-leuven | KATHOLIEKE UNIVERSITEIT LEUVEN || K.U. LEUVEN RESEARCH & DEVELOPMENT || K.U.LEUVEN RESEARCH & DEVELOPMENT
kansas-state-ifc | KANSAS STATE UNIVERSITY INSTITUTE FOR COMMERCIALIZATION
kansas-state-research-foundation | KANSAS STATE UNIVERSITY RESEARCH FOUNDATION || Kansas State University Research Foundation
keck-graduate-institute | KECK GRADUATE INSTITUTE
kbmsi | KOREA BIO MEDICAL SCIENCE INST
kfdi | KOREA FOOD DEV INST || KOREA FOOD DEVELOPMENT INSTITUTE
kfri | KOREA FOOD RES INST || KOREA FOOD RESEARCH INSTITUTE
kiom | KOREA INST ORIENTAL MEDICINE || KOREA INSTITUTE OF ORIENTAL MEDICINE
kist | KOREA INST SCI & TECH || KOREA INSTITUTE OF SCIENCE AND TECHNOLOGY || Korea Institute of Science & Technology
kribb | KOREA RES INST OF BIOSCIENCE || KOREA RESEARCH INSTITUTE OF BIOSCIENCE AND BIOTECHNOLOGY || Korea Research Institute of Bioscience & Biotechnology || Korea Research Institute of Bioscience and Biotechnology
krict | KOREA RESEARCH INSTITUTE OF CHEMICAL TECHNOLOGY
kyungsung-iacf | KYUNGSUNG UNIVERSITY INDUSTRY COOPERATION FOUNDATION || KYUNGSUNG UNIVERSITY OFFICE OF || KYUNGSUNG UNIVERSITY OFFICE OF INDUSTRY - ACADEMY COOPERATION
montpellier-2 | L'UNIVERSITE MONTPELLIER II
lanl | LOS ALAMOS NATIONAL SECURITY, LLC
qs:massachusetts-institute-technology-mit | MASSACHUSETTS INSTITUTE OF TECHNOLOGY
mayo | MAYO FOUNDATION FOR MEDICAL EDUCATION AND RESEARCH
qs:meiji-university | MEIJI UNIV || UNIV MEIJI
maff-tohoku-station | MINISTRY OF AGRICULTURE, FORESTRY AND FISHERIES TOHOKU NATIONAL AGRICULTURAL EXPERIMENT STATION || Ministry of Agriculture, Forestry and Fisheries Tohoku National Agricultrual Experiment Station
monell | MONELL CHEMICAL SENSES CENTER || Monell Chemical Senses Center
montana-state | MONTANA STATE UNIVERSITY-BOZEMAN || Montana State University
mount-sinai-school-medicine | MOUNT SINAI SCHOOL OF MEDICINE
musc-frd | MUSC FOUNDATION FOR RESEARCH DEVELOPMENT
nanjing-general-hospital | NANJING GENERAL HOSPITAL NANJING MILITARY AREA COMMAND PLA
jp-nfri | NAT FOOD RES || National Food Research Institute, Ministry of Agriculture, Forestry and Fisheries
national-jewish | NATIONAL JEWISH MEDICAL AND RESEARCH CENTER
nrc-canada | NATIONAL RESEARCH COUNCIL OF CANADA
tno | NEDERLANDSE ORGANISATIE VOOR TOEGEPAST- NATUURWETENSCHAPPELIJK ONDERZOEK TNO || NEDERLANDSE ORGANISATIE VOOR TOEGEPAST-NATUURWETENSCHAPPELIJK ONDERZOEK (TNO) || TNO
nybc | NEW YORK BLOOD CENTER, INC.
niigata-pharmacy | NIIGATA UNIVERSITY OF PHARMACY AND APPLIED LIFE SC
ohsu | OREGON HEALTH & SCIENCE UNIVERSITY
qs:harvard-university | PRESIDENT AND FELLOWS OF HARVARD COLLEGE
pukyong-nu-iucf | PUKYONG NATIONAL UNIVERSITY INDUSTRY-UNIVERSITY C || Pukyong National University Industry-University Cooperation Foundation
purdue-research-foundation | PURDUE RESEARCH FOUNDATION || Purdue Research Foundation
pusan-nu-iucf | PUSAN NAT UNIV IND COOP FOUND || PUSAN NATIONAL UNIVERSITY INDUSTRY-UNIVERSITY COOPERATION FOUNDATION
uc-regents | REGENTS OF THE UNIVERSITY OF CALIFORNIA || THE REGENTS OF THE UNIVERSITY OF CALIFORNIA || The Regents of the University of California
u-minnesota-regents | REGENTS OF THE UNIVERSITY OF MINNESOTA || THE REGENTS OF THE UNIVERSITY OF MINNESOTA
kr-nvrqs | REP KOREA NAT VET & QUARANTINE
kr-rda | REPUBLIC KOREA MAN RURAL DEV || REPUBLIC OF KOREA(MANAGEMENT : RURAL DEVELOPMENT ADMINISTRATION)
rightgene | RESEARCH INSTITUTE FOR GENETIC AND HUMAN THERAPY
rutgers | RUTGERS, THE STATE UNIVERSITY OF NEW JERSEY || Rutgers, The State University of New Jersey
saint-louis-university | SAINT LOUIS UNIVERSITY
salk | SALK INSTITUTE FOR BIOLOGICAL STUDIES
sioc-general-chem | SHANGHAI INST OF GENERAL CHEMI
shanghai-qibao-school | SHANGHAI QIBAO HIGH SCHOOL
siat-cas | SHENZHEN INST OF ADV TECH CAS
snu-rdb | SNU R&DB FOUNDATION
sookmyung-iacf | SOOKMYUNG WOMEN S UNIVERSITY INDUSTRY ACADEMIC COOPERATION FOUNDATION
sri | SRI International
nki | STICHTING HET NEDERLANDS KANKER INSTITUUT
sunmok-foundation | SUN MOK INST EDUCATION FOUNDATION
suzhou-inst-trade | SUZHOU INST TRADE & COMMERCE || Suzhou Institute of Trade & Commerce
shaoxing-university | Shaoxing University || UNIV SHAOXING
casc-hubei-designing-inst | THE GENERAL DESIGNING INST OF HUBEI SPACE TECH ACAD
qs:university-toronto | THE GOVERNING COUNCIL OF THE UNIVERSITY OF TORONTO || UNIV TORONTO
gladstone | THE J. DAVID GLADSTONE INSTITUTES
qs:johns-hopkins-university | THE JOHNS HOPKINS UNIVERSITY
qs:ohio-state-university | THE OHIO STATE UNIVERSITY
u-michigan-regents | THE REGENTS OF THE UNIVERSITY OF MICHIGAN
texas-am-system | THE TEXAS A & M UNIVERSITY SYSTEM
qs:columbia-university | THE TRUSTEES OF COLUMBIA UNIVERSITY IN THE CITY OF NEW YORK || THE TRUSTREES OF COLUMBIA UNIVERSITY IN THE CITY OF NEW YORK
qs:university-pennsylvania | THE TRUSTEES OF THE UNIVERSITY OF PENNSYLVANIA
uab-research-foundation | THE UAB RESEARCH FOUNDATION
qs:university-chicago | THE UNIVERSITY OF CHICAGO
qs:university-connecticut | THE UNIVERSITY OF CONNECTICUT || The University of Connecticut
u-dayton | THE UNIVERSITY OF DAYTON || The University of Dayton || UNIV DAYTON || UNIV OF DAYTON
uga-research-foundation | THE UNIVERSITY OF GEORGIA RESEARCH FOUNDATION, INC || UNIVERSITY OF GEORGIA RESEARCH FOUNDATION, INC
qs:university-north-carolina-chapel-hill | THE UNIVERSITY OF NORTH CAROLINA AT CHAPEL HILL
qs:university-sydney | THE UNIVERSITY OF SYDNEY
utrf | THE UNIVERSITY OF TENNESSEE RESEARCH CORPORATION || UNIVERSITY OF TENNESSEE RESEARCH CORPORATION || University of Tennesseee Research Corporation, Inc. || UNIVERSITY OF TENNESSEE RESEARCH FOUNDATION
qs:university-washington | THE UNIVERSITY OF WASHINGTON
tianjin-ust | TIANJIN UNIVERSITY OF SCIENCE & TECHNOLOGY || UNIV TIANJIN SCIENCE & TECH
tokyo-metropolitan-inst-medical-science | TOKYO METROPOLITAN INST MEDICAL SCIENCE
qs:trinity-college-dublin-university-dublin | TRINITY COLLEGE DUBLIN
qs:stanford-university | The Board of Trustees of the Leland Stanford Junior University
food-science-institute-foundation | The Food Science Institute Foundation
mgh | The General Hospital Corporation
heilongjiang-bayi-agri | UNIV HEILONGJIANG BAYI AGRI
inje-iac | UNIV INJE IND ACAD COOPERATION
qs:leiden-university | UNIV LEIDEN || UNIVERSITEIT LEIDEN
qs:universidade-federal-de-minas-gerais | UNIV MINAS GERAIS || UNIVERSIDADE FEDERAL DE MINAS GERAIS-UFMG
qs:universitat-rovira-i-virgili | UNIV ROVIRA I VIRGILI
qs:utah-state-university | UNIV UTAH STATE || Utah State University
yuanpei | UNIV YUANPEI
zhejiang-sci-tech | UNIV ZHEJIANG SCIENCES
zhejiang-univ-technology | UNIV ZHEJIANG TECHNOLOGY
cagliari | UNIVERSITA' DEGLI STUDI DI CAGLIARI
qs:universitat-leipzig | UNIVERSITAET LEIPZIG
umc-utrecht | UNIVERSITAIR MEDISCH CENTRUM UTRECHT
uib-balears | UNIVERSITAT DE LES ILLES BALEARS
qs:universitat-konstanz | UNIVERSITAT KONSTANZ
aix-marseille-2 | UNIVERSITE DE LA MEDITERANNEE, AIX-MARSEILLE II || UNIVERSITE DE LA MEDITERRANEE
qs:universite-nice-sophia-antipolis | UNIVERSITE DE NICE SOPHIA ANTIPOLIS
qs:universite-de-paris | UNIVERSITE DE PARIS
paris-11 | UNIVERSITE DE PARIS SUD XI
qs:universite-de-strasbourg | UNIVERSITE DE STRASBOURG
utrecht-holding | UNIVERSITEIT UTRECHT HOLDING B.V
qs:university-cape-town | UNIVERSITY OF CAPE TOWN
uf-research-foundation | UNIVERSITY OF FLORIDA RESEARCH FOUNDATION INC || UNIVERSITY OF FLORIDA RESEARCH FOUNDATION, INC || UNIVERSITY OF FLORIDA RESEARCH FOUNDATION, INC. || University of Florida Research Foundation, Inc.
uk-research-foundation | UNIVERSITY OF KENTUCKY RESEARCH FOUNDATION
umbi | UNIVERSITY OF MARLYAND BIOTECHNOLOGY INSTITUTE || UNIVERSITY OF MARYLAND BIOTECHNOLOGY INSTITUTE
u-maryland | UNIVERSITY OF MARYLAND
u-massachusetts | UNIVERSITY OF MASSACHUSETTS
ontario-tech | UNIVERSITY OF ONTARIO INSTITUTE OF TECHNOLOGY
qs:university-pittsburgh | UNIVERSITY OF PITTSBURGH
qs:university-rochester | UNIVERSITY OF ROCHESTER
qs:university-southern-california | UNIVERSITY OF SOUTHERN CALIFORNIA
uva-patent-foundation | UNIVERSITY OF VIRGINIA PATENT FOUNDATION
kyung-hee-iucg | UNIVERSITY-INDUSTRY COOPERATION GROUP OF KYUNG HEE UNIVERSITY
qs:vanderbilt-university | VANDERBILT UNIVERSITY
qs:virginia-commonwealth-university | VIRGINIA COMMONWEALTH UNIVERSITY
wsu-research-foundation | WASHINGTON STATE UNIVERSITY RESEARCH FOUNDATION
qs:washington-university-st-louis | WASHINGTON UNIVERSITY
wpi-neuro-immune | WHITTEMORE PETERSON INSTITUTE FOR NEURO-IMMUNE DISEASE
warf | WISCONSIN ALUMNI RES FOUND || WISCONSIN ALUMNI RESEARCH FOUNDATION || Wisconsin Alumni Research Foundation
qs:xiamen-university | XIAMEN UNIVERSITY
qs:yale-university | YALE UNIVERSITY
yissum | YISSUM RESEARCH DEVELOPMENT COMPANY OF THE HEBREW UNIVERSITY OF JERUSALEM || YISSUM RESEARCH DEVELOPMENT COMPANY OF THE HEBREW UNIVERSITY OF JERUSALEM LTD
person:council-thomas | COUNCIL, Thomas, G.
person:cooper-bradley | COOPER Bradley Gregg || COOPER, Bradley
person:mcgovern-murray | MCGOVERN, Murray
person:demayo-john | DEMAYO JOHN F.
"""

inst=re.compile(r"UNIV|INSTIT|INST\b|HOSP|KLINI|CLINIC|HOCHSCH|ECOLE|POLITEC|POLYTECH|CONSIGLIO|CENTRE|CENTER|CENTRO|CENTRUM|FOUND|FONDA|STIFT|STICHT|ACADEM|RESEARCH|RECHERCHE|RICERC|RECERCA|INVESTIGAC|FRAUNHOFER|PLANCK|CNRS|INSERM|COMMISSARIAT|COUNCIL|CONSEJO|AGENCY|MINIST|COLLEGE|SCHOOL|DEPARTMENT|DEPT|GOVERN|TRUSTEES|REGENTS|COOPERATION|COOP|TNO\b|CSIR|SCIENT|ONDERZOEK|FORSCHUNG|NAT\b|NATIONAL|REPUBLIC|STAAT|UNITED STATES|JAPAN AS|SANTE|ASSISTANCE PUBLIQUE|FACUL|R&DB|PASTEUR|SALK|MAYO|GLADSTONE|DANA-FARBER|CEDARS|SINAI|CHARITE|YISSUM|RUTGERS|STATION", re.I)
def read(f):
    raw=open(f,'rb').read()
    for enc in (['mac_roman'] if 'espacenet' in f and 'small' not in f else ['utf-8','latin-1']):
        try: t=raw.decode(enc); break
        except: pass
    t=t.replace('\r\n','\n').replace('\r','\n')
    lines=t.split('\n')
    if lines[0].startswith('search URL'): lines=lines[1:]
    return csv.reader(io.StringIO('\n'.join(lines)))
out={}
for f in sorted(glob.glob('**/*.csv',recursive=True)):
    rd=read(f); hdr=next(rd)
    cols=[i for i,h in enumerate(hdr) if h.strip().lower() in ('applicant(s)','applicants','assignee','applicant')]
    sample=f.split('/')[0]
    sep = ';;' if 'lens' in f else (' | ' if 'wipo' in f else (';' ))
    for r in rd:
        for i in cols:
            if i>=len(r): continue
            v=r[i]
            parts = v.split(sep) if sep!=';' else re.split(r';\s*',v)
            if 'google' in f: parts=[v]
            for p in parts:
                p=p.strip()
                if not p: continue
                m=re.match(r'^(.*?)(?:â€‚|\u2002|\s)\[([A-Z]{2})\]$',p)
                name,cc=(m.group(1).strip(),m.group(2)) if m else (p,'')
                if inst.search(name):
                    out.setdefault((name,cc),set()).add(sample)

label={}
for line in G.strip().split('\n'):
    t,names=line.split(' | ',1)
    for n in names.split(' || '):
        label[n.strip()]=t.strip()
rows=[]
seen=set()
for (n,c),ss in sorted(out.items()):
    s='/'.join(sorted(ss))
    if n in label:
        rows.append((s+' samples',n,c,label[n],'person' if label[n].startswith('person:') else 'organisation'))
        seen.add(n)
missing=set(label)-seen
assert not missing, missing
CC={'United States':'US','China (Mainland)':'CN','Japan':'JP','Germany':'DE','South Korea':'KR','France':'FR','United Kingdom':'GB','Israel':'IL','Netherlands':'NL','Russia':'RU','Sweden':'SE','Belgium':'BE','Austria':'AT','Denmark':'DK','Finland':'FI','Italy':'IT','Spain':'ES','Switzerland':'CH'}
EXTRA={'university-toronto':'CA','university-sydney':'AU','university-cape-town':'ZA','trinity-college-dublin-university-dublin':'IE','universidade-federal-de-minas-gerais':'BR'}
qs={}
for r in csv.DictReader(open(SHARED+'/qs-rankings/qs-world-university-rankings-2017-to-2022-V2.csv',encoding='utf-8')):
    slug=r['link'].rsplit('/',1)[1]
    cc=CC.get(r['country']) or EXTRA.get(slug)
    if cc and slug not in qs: qs[slug]=(r['university'].strip(),cc)
used=set(t[3:] for t in label.values() if t.startswith('qs:'))
assert used<=set(qs), used-set(qs)
# One institution under two QS identifiers (QS changed the link between
# editions): the same name, or a name QS itself changed.
SAME={'university-ulm':'ulm-university','william-mary':'college-william-mary'}
byname={}
for slug,(n,cc) in sorted(qs.items()):
    byname.setdefault((' '.join(n.lower().split()),cc),slug)
for slug,(n,cc) in sorted(qs.items(), key=lambda x:(x[1][1],x[1][0])):
    t=SAME.get(slug) or byname[(' '.join(n.lower().split()),cc)]
    rows.append(('qs-rankings',n,cc,'qs:'+t,'organisation'))
w=csv.writer(open(OUT,'w',newline=''),lineterminator='\n')
w.writerow(['sample','name','country','truth','kind'])
for r in rows: w.writerow(r)
print(len(rows), collections.Counter(r[0] for r in rows))
t=collections.Counter(r[3] for r in rows); print('clusters>1', sum(1 for v in t.values() if v>1), 'true pairs', sum(v*(v-1)//2 for v in t.values()))
