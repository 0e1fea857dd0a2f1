/** Accented French names and phrases for the demo site (no real people). */
export const FIRST_NAMES = [
	'Amélie', 'Agnès', 'Anaïs', 'André', 'Aurélien', 'Béatrice', 'Benoît', 'Cécile', 'Céline', 'Chloé',
	'Clément', 'Cédric', 'Daphné', 'Désiré', 'Élise', 'Élodie', 'Émile', 'Émilie', 'Étienne', 'Eugénie',
	'Françoise', 'François', 'Frédéric', 'Gaëlle', 'Gaël', 'Gérard', 'Hélène', 'Hervé', 'Inès', 'Irène',
	'Jérôme', 'Joël', 'Josée', 'Léa', 'Léon', 'Léonie', 'Loïc', 'Maëlle', 'Mathéo', 'Mélanie',
	'Michèle', 'Noémie', 'Noël', 'Océane', 'Pénélope', 'Raphaël', 'Régis', 'Renée', 'Sébastien', 'Séverine',
	'Stéphane', 'Thérèse', 'Valérie', 'Zoé',
];

export const LAST_NAMES = [
	'Béranger', 'Bézier', 'Boucher', 'Brûlé', 'Chénier', 'Crémieux', 'Daudé', 'Delépine', 'Dufresne', 'Dupré',
	'Élie', 'Fénelon', 'Fournié', 'Gaudé', 'Gérôme', 'Guérin', 'Hébert', 'Héroult', 'Jaurès', 'Lafitte',
	'Lebœuf', 'Lefèvre', 'Lemaître', 'Lévêque', 'Mégret', 'Ménard', 'Mérimée', 'Moreau', 'Pâris', 'Pélissier',
	'Péguy', 'Prévost', 'Rémy', 'Renaud', 'Séguin', 'Sénéchal', 'Thénard', 'Valéry', 'Vézina', 'Zéphir',
];

export const CITIES = ['Besançon', 'Orléans', 'Nîmes', 'Évry', 'Béziers', 'Saint-Étienne', 'Angoulême', 'Créteil'];

export const WORDS = [
	'époque', 'société', 'évolution', 'étude', 'méthode', 'problème', 'réponse', 'hypothèse', 'théorème', 'démonstration',
	'siècle', 'château', 'cathédrale', 'royaume', 'économie', 'littérature', 'poème', 'roman', 'personnage', 'écriture',
	'fonction', 'dérivée', 'intégrale', 'limite', 'équation', 'expérience', 'résultat', 'modèle', 'critère', 'synthèse',
];

/** Strips accents and anything that is not a-z: for usernames and e-mail addresses. */
export function asciiSlug(text: string): string {
	return text
		.normalize('NFD')
		.replaceAll(/[\u0300-\u036f]/g, '')
		.replaceAll('œ', 'oe')
		.toLowerCase()
		.replaceAll(/[^a-z]/g, '');
}
