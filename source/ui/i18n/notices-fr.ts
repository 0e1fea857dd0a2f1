import type {NoticeCode} from '../../engine/notices.js';

/**
 * The engine's notices in French, with the same {names} as the English (a test holds them together). A flag of the
 * command is named beside the wizard's setting, as in English, so an admin who scripts it finds it.
 */
export const NOTICES_FR: Record<NoticeCode, string> = {
	text: '{text}',

	formatUnsupported: 'le format de sauvegarde « {format} » n\'est pas pris en charge (seulement les sauvegardes Moodle 2 et suivants)',
	tooOld: 'la sauvegarde a été faite par une version de Moodle antérieure à 2.0',
	frontPage: 'c\'est une sauvegarde de la page d\'accueil du site ; elle ne peut pas être restaurée dans un cours',
	remoteMnetUsers: 'la sauvegarde contient des utilisateurs d\'hôtes MNet distants ; ils sont restaurés comme comptes locaux quand leur hôte est inconnu ici',
	userConflicts: '{count} conflit(s) d\'utilisateurs : {list}',
	userConflict: '{username} ({reason})',
	usersDroppedForConflicts: '{count} conflit(s) d\'utilisateurs : restauration sans les données utilisateur (--on-conflict no-users)',
	adminCreated: 'le compte admin de la sauvegarde est restauré comme un nouveau compte « {username} » (résolution des conflits du compte admin de Moodle)',
	adminMapped: 'le compte admin de la sauvegarde correspond au compte « {username} » (résolution des conflits du compte admin de Moodle)',
	roleUnmapped: 'le rôle « {role} » de la sauvegarde n\'existe pas ici : ses attributions ne sont pas restaurées',

	usernameTaken: 'le nom d\'utilisateur « {username} » appartient ici à un autre compte (id {siteId}, id dans la sauvegarde {backupId})',
	usernameOtherEmail: 'le nom d\'utilisateur « {username} » existe ici avec une autre adresse de courriel (sauvegarde {backupEmail}, ici {siteEmail}) et un autre premier accès',
	noEmail: '(aucune)',
	noEmailMatch: '{reason} ; aucun compte ici n\'a son adresse de courriel, il ne peut donc pas être associé par courriel',
	manyEmailMatches: '{reason} ; {count} comptes ici partagent son adresse de courriel, il ne peut donc pas être associé par courriel',

	enrolMethod: '{plugin}',
	enrolMethodNamed: '{plugin} « {name} »',
	enrolDropped: 'méthode d\'inscription {method} non restaurée : {why}',
	enrolDroppedLosingUsers: '{dropped} ; {count} utilisateur(s) perdent l\'accès au cours : {users} (pour les garder : le réglage « Restaurer comme inscription manuelle », --manual-enrolments)',
	enrolRescued: 'méthode d\'inscription {method} : {why} ; ses {count} utilisateur(s) sont inscrits manuellement à la place, avec leurs rôles',
	manualDisabled: 'le plugin d\'inscription manuelle est désactivé ici',
	enrolPluginDisabled: 'le plugin d\'inscription « {plugin} » n\'est pas activé sur ce site',
	cohortOfOtherSite: 'la cohorte id {cohortId} appartient au site d\'origine et n\'existe pas ici',
	cohortMissing: 'la cohorte id {cohortId} n\'existe pas sur ce site',
	enrolRoleUnmapped: 'son rôle ne peut pas être associé ici',
	metaOfOtherSite: 'elle lie le cours id {courseId} du site d\'origine',
	metaCourseMissing: 'le cours lié id {courseId} n\'existe pas ici',
	enrolNotRestorable: 'le plugin « {plugin} » ne restaure pas ses instances',
	cohortLive: 'ses utilisateurs viennent de la cohorte « {cohort} » telle qu\'elle est maintenant : {count} membre(s) inscrit(s) avec le rôle de la méthode',
	metaLive: 'ses utilisateurs viennent du cours id {courseId} tel qu\'il est maintenant : {count} utilisateur(s) inscrit(s), avec les rôles qu\'ils y ont',
	metaLiveSuspending: 'ses utilisateurs viennent du cours id {courseId} tel qu\'il est maintenant : {count} utilisateur(s) inscrit(s), avec les rôles qu\'ils y ont ; {leaving} utilisateur(s) qu\'elle inscrit et qui n\'y sont plus inscrits seront suspendus et perdront ses rôles',

	customFieldMissing: 'le champ personnalisé de cours « {field} » ({type}) n\'existe pas sur ce site : sa valeur n\'a pas été restaurée',
	componentAssignment: 'attribution de rôle du composant « {component} » restaurée comme une attribution ordinaire',
	activityTypeNotRestored: 'activité « {title} » ({type}) non restaurée : cet outil ne restaure pas les activités {type}',
	activitySkipped: 'activité « {title} » non restaurée : {why}',
	activityTypeUnsupported: 'le type d\'activité « {type} » n\'est pas pris en charge',
	activityTypeNotInstalled: 'le type d\'activité « {type} » n\'est pas installé',
	activityDirectoryUnsupported: 'le type d\'activité « {type} » n\'est pas pris en charge : {directory} non restauré',
	activityDirectoryNotInstalled: 'le type d\'activité « {type} » n\'est pas installé sur ce site : {directory} non restauré',
	gradebookKept: 'le cours cible a déjà un carnet de notes : les catégories et éléments manuels de la sauvegarde ne sont pas restaurés (comme dans Moodle)',
	gradebookSkippedExcluded: 'le carnet de notes du cours (catégories, éléments du cours et manuels, leurs notes) n\'est pas restauré car des activités sont exclues : ses totaux ne correspondraient pas (comme dans Moodle)',
	gradebookSkippedMissing: 'le carnet de notes du cours (catégories, éléments du cours et manuels, leurs notes) n\'est pas restauré car les activités de type {types} ne peuvent pas être restaurées ici (comme dans Moodle)',
	membershipsSkipped: '{count} appartenance(s) à des groupes non restaurée(s) : ces utilisateurs ne sont pas inscrits au cours ici',
	fileWithoutContent: '{file} : le fichier {path} ({component}/{filearea}) n\'a pas de contenu dans la sauvegarde : non restauré',
	availabilityUnmapped: 'une condition d\'accès dépend de l\'activité {cmid}, qui n\'a pas été restaurée',
	quizSlotRandom: 'emplacement {slot} du test : la question {question} est une question aléatoire d\'une ancienne version de Moodle ; l\'emplacement reste vide',
	quizSlotMissing: 'emplacement {slot} du test : la question {question} n\'a pas été restaurée ; l\'emplacement reste vide',

	blockWithoutContext: 'le bloc {block} {id} n\'a pas de contexte : laissé de côté',
	missingFromPool: 'le contenu de fichier {sha1} manque dans le dépôt de fichiers (missing_files_in_pool)',
	activityNotBackedUp: 'l\'activité {type} {cmid} (« {title} ») est d\'un type que cet outil ne sait pas sauvegarder : laissée de côté',
	cartridgeQuestionLeftOut: 'test {cmid} (« {title} ») : la question « {question} » est de type {qtype}, que l\'export Common Cartridge ne prend pas en charge : laissée de côté',
	cartridgeActivityLeftOut: 'activité {type} {cmid} (« {title} ») : IMS Common Cartridge n\'a pas d\'équivalent pour {type} : laissée hors de l\'archive',
};
