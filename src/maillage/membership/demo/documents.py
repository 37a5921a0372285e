"""The demo's governing documents: the statutes (the founding version and the current revision)
and the charter of the network, in French, as a regional multi-actor network (RRMA) writes them.
``%(network)s`` is replaced by the network's name when the demo is seeded."""

from datetime import date

FOUNDED = date(2012, 3, 24)  # the constitutive general assembly
REVISED = date(2024, 6, 15)  # the extraordinary general assembly that revised the statutes

STATUTES_2012 = """\
Article 1 — Constitution et dénomination
Il est fondé entre les adhérents aux présents statuts une association régie par la loi du 1er juillet 1901, \
ayant pour titre « %(network)s ».

Article 2 — Objet
L’association a pour objet de mettre en réseau les acteurs d’Occitanie engagés dans la coopération et \
la solidarité internationales, de les informer et de renforcer la qualité de leurs actions.

Article 3 — Membres
Sont membres les organisations ayant adhéré à la charte du réseau et acquitté leur cotisation annuelle.

Article 4 — Assemblée générale
L’assemblée générale réunit une fois par an l’ensemble des membres à jour de leur cotisation.
"""

STATUTES_2024 = """\
Article 1 — Constitution et dénomination
Il est fondé entre les adhérents aux présents statuts une association régie par la loi du 1er juillet 1901 \
et le décret du 16 août 1901, ayant pour titre « %(network)s », réseau régional multi-acteurs (RRMA) de \
la coopération et de la solidarité internationales en Occitanie. Son siège est fixé à Toulouse.

Article 2 — Objet
L’association a pour objet :
– d’identifier et de mettre en relation les acteurs de la région engagés à l’international : collectivités, \
associations, établissements publics, entreprises et acteurs de l’économie sociale et solidaire ;
– de les informer, de les accompagner et de renforcer la qualité de leurs projets ;
– de favoriser la concertation entre ces acteurs et avec l’État, la Région et leurs partenaires ;
– de promouvoir l’éducation à la citoyenneté et à la solidarité internationale (ECSI) sur le territoire.
L’association est indépendante de toute organisation politique, syndicale ou confessionnelle.

Article 5 — Membres et collèges
Peuvent être membres les personnes morales ayant leur siège ou une activité en Occitanie qui adhèrent à la \
charte du réseau. Les membres sont répartis en trois collèges :
1° le collège des acteurs publics : collectivités territoriales et leurs groupements, établissements \
publics d’enseignement, de recherche, de santé, chambres consulaires ;
2° le collège associatif : associations, collectifs et fédérations ;
3° le collège des acteurs économiques : entreprises, acteurs de l’économie sociale et solidaire, \
fondations et groupements d’entreprises.
Chaque membre désigne une personne titulaire et une personne suppléante pour le représenter.

Article 6 — Admission
La demande d’adhésion est adressée au réseau avec l’acceptation des présents statuts et de la charte. \
L’équipe instruit la demande ; le Bureau statue et peut refuser une admission par une décision motivée.

Article 7 — Cotisation
Chaque membre verse une cotisation annuelle, due pour l’année civile. Son montant est fixé chaque année \
par l’assemblée générale, selon un barème propre à chaque collège :
– collège des acteurs publics : selon la population de la collectivité ou, pour les autres personnes \
publiques, de la commune de leur siège ;
– collège associatif : selon le budget annuel du dernier exercice clos ;
– collège des acteurs économiques : selon le nombre de salariés.
Le Bureau peut accorder une réduction motivée, notamment lors d’une première adhésion.

Article 8 — Perte de la qualité de membre
La qualité de membre se perd par la démission adressée par écrit au président, par la dissolution de la \
personne morale, ou par la radiation prononcée par le Grand Conseil pour non-paiement de la cotisation \
de deux années consécutives ou pour motif grave, l’intéressé ayant été invité à présenter ses observations.

Article 10 — Assemblée générale
L’assemblée générale comprend tous les membres. Elle se réunit au moins une fois par an. Seuls les \
membres à jour de leur cotisation à la date de l’assemblée y ont voix délibérative ; chaque membre \
dispose d’une voix, exprimée par sa personne titulaire ou, à défaut, suppléante. L’assemblée approuve \
les comptes, vote le barème des cotisations et élit le Grand Conseil.

Article 11 — Grand Conseil
L’association est administrée par un Grand Conseil de dix-huit membres, six par collège, élus pour trois \
ans par l’assemblée générale et renouvelables par tiers chaque année. Le Grand Conseil se réunit au moins \
trois fois par an ; il arrête les orientations du réseau et prononce les radiations.

Article 12 — Bureau
Le Grand Conseil élit en son sein un Bureau comprenant au moins un président, un trésorier et un \
secrétaire, chaque collège y étant représenté. Le Bureau assure la gestion courante, statue sur les \
admissions et rend compte de son action au Grand Conseil.
"""

CHARTER_2012 = """\
Préambule
Les membres de %(network)s partagent la conviction qu’un monde plus juste se construit ensemble, ici et \
là-bas. Ils s’engagent à respecter les valeurs et les principes de la présente charte.

1. Solidarité et réciprocité
Nous concevons la coopération internationale comme un échange entre partenaires égaux, où chacun apporte \
et reçoit. Les projets sont construits avec les partenaires et les populations concernées, jamais pour eux.

2. Respect des droits humains et de la diversité
Nous agissons dans le respect de la dignité des personnes, des droits humains, de l’égalité entre les \
femmes et les hommes et de la diversité des cultures.

3. Développement durable
Nous inscrivons nos actions dans les objectifs de développement durable et veillons à leurs effets sur \
l’environnement, ici comme chez nos partenaires.

4. Transparence et redevabilité
Nous rendons compte de l’usage des fonds reçus, à nos partenaires comme à nos financeurs et au public.

5. Citoyenneté et coopération entre acteurs
Nous partageons nos expériences, mutualisons nos savoir-faire et sensibilisons les habitants de la \
région aux enjeux de la solidarité internationale.
"""

# (kind, version, title, body, in force from)
DOCUMENTS = [
    ("statutes", "2012", "Statuts", STATUTES_2012, FOUNDED),
    ("statutes", "2024", "Statuts révisés", STATUTES_2024, REVISED),
    ("charter", "2012", "Charte des valeurs", CHARTER_2012, FOUNDED),
]
